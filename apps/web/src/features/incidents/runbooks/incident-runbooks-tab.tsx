import { useState } from 'react';
import { Button, Card, Empty, Input, List, Space, Steps, Tag, Typography } from 'antd';
import { PlayCircleOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { RunbookRun, RunbookStepAction, RunbookStepRun, RunbookStepStatus } from '@yunwei/contracts/incident-runbooks';
import { DateTime } from '../../../shared/components/date-time';
import { runWithFeedback } from '../../../shared/confirm-mutation';
import { IncidentTasksCard, TaskModal } from './incident-tasks-card';
import { StepLiveOutput } from './step-live-output';
import { useRunbookRuns, useRunbookStepAction, useRunbookSuggestions, useStartRunbookRun } from './use-runbooks';

const STEP_STATE: Record<RunbookStepStatus, 'wait' | 'process' | 'finish' | 'error'> = { pending: 'wait', running: 'process', done: 'finish', failed: 'error', skipped: 'finish' };

/** One step of a run: what to do, the expected result, who did it, its output, and the actions for the current step. */
function StepBody({ incidentId, run, step, current, canWrite, onAssign }: { incidentId: string; run: RunbookRun; step: RunbookStepRun; current: boolean; canWrite: boolean; onAssign: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const act = useRunbookStepAction();
  const [note, setNote] = useState('');
  const commandLive = step.kind === 'command' && step.status === 'running' && step.agentCommandId !== null && (step.commandStatus === 'queued' || step.commandStatus === 'running');
  const doAct = (action: RunbookStepAction) =>
    void runWithFeedback({
      run: () => act.mutateAsync({ incidentId, runId: run.id, index: step.index, body: { action, ...(note.trim() ? { note: note.trim() } : {}) } }),
      success: t(`runbooks.run.acted.${action}`),
      onDone: () => setNote(''),
    });
  const busy = (action: RunbookStepAction) => act.isPending && act.variables?.index === step.index && act.variables.body.action === action;
  return (
    <Space direction="vertical" size={4} style={{ width: '100%' }} data-testid={`runbook-run-step-${step.index}`}>
      <Space size={6} wrap>
        <Tag>{t(`runbooks.kind.${step.kind}`)}</Tag>
        {step.result && <Tag color={step.result === 'ok' ? 'green' : 'red'}>{t(`runbooks.run.result.${step.result}`)}</Tag>}
        {step.status === 'skipped' && <Tag>{t('runbooks.run.skipped')}</Tag>}
        {step.actor && (
          <Typography.Text type="secondary">
            {t('runbooks.run.by', { name: step.actor })} <DateTime value={step.finishedAt ?? step.startedAt} />
          </Typography.Text>
        )}
        {step.taskAssignee && <Tag color={step.taskStatus === 'done' ? 'green' : 'processing'}>{t('runbooks.run.taskOf', { name: step.taskAssignee })}</Tag>}
      </Space>
      {step.instructions && <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{step.instructions}</Typography.Paragraph>}
      {step.argv && <Typography.Text code>{step.argv.join(' ')}</Typography.Text>}
      {step.checkName && <Typography.Text>{t('runbooks.run.check', { name: step.checkName })}</Typography.Text>}
      {step.expected && <Typography.Text type="secondary">{t('runbooks.run.expected', { text: step.expected })}</Typography.Text>}
      {step.ciName && <Typography.Text type="secondary">{t('runbooks.run.on', { host: step.ciName })}</Typography.Text>}
      {commandLive ? (
        <StepLiveOutput incidentId={incidentId} runId={run.id} index={step.index} initial="" onEnded={() => void qc.invalidateQueries({ queryKey: ['incidents', 'one', incidentId] })} />
      ) : (
        (step.output || step.agentCommandId) && (
          <pre style={{ fontFamily: 'monospace', fontSize: 12, background: '#1e1e1e', color: '#e6e6e6', padding: 8, borderRadius: 4, maxHeight: 240, overflow: 'auto', whiteSpace: 'pre-wrap' }} data-testid={`runbook-step-${step.index}-recorded`}>
            {step.output || t('runbooks.run.noOutput')}
            {step.exitCode !== null ? `\n[exit ${step.exitCode}]` : ''}
          </pre>
        )
      )}
      {step.note && <Typography.Text>{t('runbooks.run.note', { text: step.note })}</Typography.Text>}
      {current && canWrite && run.status === 'running' && (
        <Space wrap>
          {(step.kind === 'check' || step.kind === 'command') && (
            <Button type="primary" size="small" icon={<PlayCircleOutlined />} disabled={commandLive} loading={busy('run')} onClick={() => doAct('run')} data-testid={`runbook-step-${step.index}-run`}>
              {step.kind === 'check' ? t('runbooks.run.runCheck') : t('runbooks.run.runCommand')}
            </Button>
          )}
          <Input size="small" style={{ width: 260 }} placeholder={t('runbooks.run.notePlaceholder')} value={note} onChange={(e) => setNote(e.target.value)} data-testid={`runbook-step-${step.index}-note`} />
          <Button size="small" disabled={commandLive} loading={busy('done')} onClick={() => doAct('done')} data-testid={`runbook-step-${step.index}-done`}>{t('runbooks.run.done')}</Button>
          <Button size="small" danger disabled={commandLive || !note.trim()} loading={busy('fail')} onClick={() => doAct('fail')} data-testid={`runbook-step-${step.index}-fail`}>{t('runbooks.run.fail')}</Button>
          <Button size="small" disabled={commandLive || !note.trim()} loading={busy('skip')} onClick={() => doAct('skip')} data-testid={`runbook-step-${step.index}-skip`}>{t('runbooks.run.skip')}</Button>
          <Button size="small" onClick={onAssign} disabled={Boolean(step.taskId && step.taskStatus === 'open')} data-testid={`runbook-step-${step.index}-assign`}>{t('runbooks.run.assign')}</Button>
        </Space>
      )}
    </Space>
  );
}

/** 处理方案: the runbooks suggested for the incident (执行), the runs step by step, and the tasks. */
export function IncidentRunbooksTab({ incidentId, canWrite, open }: { incidentId: string; canWrite: boolean; open: boolean }) {
  const { t } = useTranslation();
  const suggestions = useRunbookSuggestions(incidentId);
  const [live, setLive] = useState(false);
  const runs = useRunbookRuns(incidentId, live);
  const start = useStartRunbookRun();
  const [assigning, setAssigning] = useState<{ runId: string; index: number; title: string } | null>(null);
  const items = runs.data?.items ?? [];
  const anyRunning = items.some((r) => r.status === 'running');
  if (anyRunning !== live) {
    setLive(anyRunning);
  }
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="incident-runbooks-tab">
      <Card variant="borderless" title={t('runbooks.suggested')}>
        <List
          loading={suggestions.isLoading}
          dataSource={suggestions.data?.items ?? []}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('runbooks.noSuggestion')} /> }}
          renderItem={(s) => (
            <List.Item
              actions={
                canWrite && open
                  ? [
                      <Button key="run" type="primary" size="small" icon={<PlayCircleOutlined />} loading={start.isPending && start.variables?.runbookId === s.runbookId} onClick={() => void runWithFeedback({ run: () => start.mutateAsync({ incidentId, runbookId: s.runbookId }), success: t('runbooks.run.started', { name: s.name }) })} data-testid={`runbook-start-${s.runbookId}`}>
                        {t('runbooks.execute')}
                      </Button>,
                    ]
                  : []
              }
            >
              <List.Item.Meta
                title={
                  <Space size={6}>
                    {s.name}
                    <Tag color="green">{s.versionLabel}</Tag>
                    <Typography.Text type="secondary">{t('runbooks.stepsCount', { count: s.stepCount })}</Typography.Text>
                  </Space>
                }
                description={
                  <>
                    {s.description && <div>{s.description}</div>}
                    {s.reasons.map((r) => <Tag key={r}>{r}</Tag>)}
                  </>
                }
              />
            </List.Item>
          )}
          data-testid="runbook-suggestions"
        />
      </Card>
      {items.map((run) => (
        <Card
          key={run.id}
          variant="borderless"
          title={
            <Space size={6} wrap>
              {run.runbookName}
              <Tag>{run.versionLabel}</Tag>
              <Tag color={run.status === 'completed' ? 'green' : run.status === 'running' ? 'processing' : 'default'}>{t(`runbooks.run.status.${run.status}`)}</Tag>
              <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
                {t('runbooks.run.startedBy', { name: run.startedBy ?? '—' })} <DateTime value={run.startedAt} />
              </Typography.Text>
            </Space>
          }
          data-testid={`runbook-run-${run.id}`}
        >
          <Steps
            direction="vertical"
            size="small"
            current={run.currentIndex ?? run.steps.length}
            items={run.steps.map((step) => ({
              title: step.title,
              status: STEP_STATE[step.status],
              description: <StepBody incidentId={incidentId} run={run} step={step} current={run.currentIndex === step.index} canWrite={canWrite} onAssign={() => setAssigning({ runId: run.id, index: step.index, title: step.title })} />,
            }))}
          />
        </Card>
      ))}
      <IncidentTasksCard incidentId={incidentId} canWrite={canWrite && open} />
      <TaskModal key={assigning ? `${assigning.runId}-${assigning.index}` : 'none'} incidentId={incidentId} open={assigning !== null} step={assigning} testId="runbook-step-task-form" onClose={() => setAssigning(null)} />
    </Space>
  );
}
