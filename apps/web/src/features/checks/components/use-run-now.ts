import type { Check } from '@yunwei/contracts/checks';
import { useTranslation } from 'react-i18next';
import { runWithFeedback } from '../../../shared/confirm-mutation';
import { feedback } from '../../../shared/feedback';
import { useRunCheck } from '../api/use-checks';
import { useCheckMessage } from './check-message';

/**
 * 立即执行: probes a check now and says what it found (a warning when it is not up); `running(id)`
 * spins that check's button meanwhile.
 */
export function useRunNow() {
  const { t } = useTranslation();
  const say = useCheckMessage();
  const run = useRunCheck();
  const runNow = (check: Pick<Check, 'id'>) =>
    runWithFeedback({
      run: () => run.mutateAsync(check.id),
      success: null,
      onDone: (result) => {
        const text = t('checks.ranResult', { status: t(`checks.status.${result.status}`), message: say(result) ?? '' });
        void (result.status === 'up' ? feedback.current?.message.success(text) : feedback.current?.message.warning(text));
      },
    });
  return { runNow, running: (id: string) => run.isPending && run.variables === id };
}
