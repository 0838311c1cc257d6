import { theme, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { CHECK_LIMITS, type Check } from '@yunwei/contracts/checks';
import { formatDateTime } from '../../../shared/components/date-time';
import { useCheckMessage } from './check-message';

type Beat = Check['heartbeat'][number];

/**
 * The latest results as little bars, newest on the right (as in Uptime Kuma): green up, orange failed
 * within the retries, red down, grey where there is no result yet. Each says when and what on hover.
 */
export function HeartbeatBar({ beats }: { beats: readonly Beat[] }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const say = useCheckMessage();
  const colour = { up: token.colorSuccess, pending: token.colorWarning, down: token.colorError };
  const empty = Math.max(0, CHECK_LIMITS.heartbeatSize - beats.length);
  const bar = (background: string) => ({ display: 'inline-block', width: 4, height: 18, borderRadius: 2, background, flex: 'none' as const });
  return (
    <div
      style={{ display: 'flex', gap: 2, alignItems: 'center' }}
      role="img"
      aria-label={t('checks.heartbeat.label', { count: beats.length })}
      data-testid="check-heartbeat"
      data-beats={beats.length}
    >
      {Array.from({ length: empty }, (_, i) => (
        <span key={`empty-${i}`} style={bar(token.colorFillSecondary)} />
      ))}
      {beats.map((b) => (
        <Tooltip
          key={b.at}
          title={
            <>
              <div>
                {formatDateTime(b.at)} · {t(`checks.status.${b.status}`)}
                {b.latencyMs === null ? '' : ` · ${b.latencyMs.toFixed(1)} ms`}
              </div>
              {say(b) && <div>{say(b)}</div>}
            </>
          }
        >
          <span style={bar(colour[b.status])} data-status={b.status} />
        </Tooltip>
      ))}
    </div>
  );
}
