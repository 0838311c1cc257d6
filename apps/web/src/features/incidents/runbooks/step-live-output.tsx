import { useEffect, useRef, useState } from 'react';
import { Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { fetchStepLive } from './use-runbooks';

/**
 * A command step's output, followed live: polls the step every second from the last offset and appends,
 * until the command ends (then once more refreshes the run so its buttons change).
 */
export function StepLiveOutput({ incidentId, runId, index, initial, onEnded }: { incidentId: string; runId: string; index: number; initial: string; onEnded: () => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(initial);
  const [state, setState] = useState<{ status: string | null; exitCode: number | null; live: boolean }>({ status: null, exitCode: null, live: true });
  const box = useRef<HTMLPreElement>(null);
  const ended = useRef(onEnded);
  ended.current = onEnded;

  useEffect(() => {
    let offset = 0;
    let stopped = false;
    const controller = new AbortController();
    setText('');
    const poll = async () => {
      try {
        const live = await fetchStepLive(incidentId, runId, index, offset, controller.signal);
        if (stopped) {
          return;
        }
        offset = live.nextOffset;
        if (live.output) {
          setText((s) => s + live.output);
        }
        setState({ status: live.commandStatus, exitCode: live.exitCode, live: live.live });
        if (!live.live) {
          ended.current();
          return;
        }
      } catch {
        // A failed poll is retried at the next tick.
      }
      if (!stopped) {
        timer = setTimeout(() => void poll(), 1000);
      }
    };
    let timer = setTimeout(() => void poll(), 0);
    return () => {
      stopped = true;
      controller.abort();
      clearTimeout(timer);
    };
  }, [incidentId, runId, index]);

  useEffect(() => {
    box.current?.scrollTo({ top: box.current.scrollHeight });
  }, [text]);

  return (
    <div data-testid={`runbook-step-${index}-output`}>
      <Typography.Text type="secondary">
        {state.live ? <Tag color="processing">{t('runbooks.run.commandRunning')}</Tag> : <Tag color={state.status === 'succeeded' ? 'green' : 'red'}>{t('runbooks.run.commandEnded', { status: state.status ?? '', code: state.exitCode ?? '—' })}</Tag>}
      </Typography.Text>
      <pre ref={box} style={{ fontFamily: 'monospace', fontSize: 12, background: '#1e1e1e', color: '#e6e6e6', padding: 8, borderRadius: 4, maxHeight: 320, overflow: 'auto', whiteSpace: 'pre-wrap', marginTop: 4 }}>
        {text || (state.live ? t('runbooks.run.waitingOutput') : t('runbooks.run.noOutput'))}
      </pre>
    </div>
  );
}
