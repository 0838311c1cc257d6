import { useState } from 'react';
import { Alert, Button, Card, Input, List, Modal, Space, Tag, Typography } from 'antd';
import { CheckCircleOutlined, CloseCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Incident, IncidentEvidence } from '@yunwei/contracts/incidents';
import { DateTime } from '../../../shared/components/date-time';
import { runWithFeedback } from '../../../shared/confirm-mutation';
import { useVerifications, useVerifyIncident } from './use-verification';

/** What the verifier sees: each check on the incident's CIs and each alert still open, green or not. */
function EvidenceList({ evidence }: { evidence: IncidentEvidence }) {
  const { t } = useTranslation();
  const rows = [
    ...evidence.checks.map((c) => ({ key: c.id, ok: c.up && c.failuresInWindow === 0, text: c.up ? (c.failuresInWindow ? t('incidentVerify.checkFlapped', { name: c.name, count: c.failuresInWindow, minutes: evidence.windowMinutes }) : t('incidentVerify.checkUp', { name: c.name, minutes: evidence.windowMinutes })) : t('incidentVerify.checkDown', { name: c.name }) })),
    ...evidence.openAlerts.map((a) => ({ key: a.id, ok: false, text: t('incidentVerify.alertOpen', { name: a.name, ci: a.ciName ?? '' }) })),
  ];
  if (!rows.length) {
    return <Typography.Text type="secondary">{t('incidentVerify.noEvidence')}</Typography.Text>;
  }
  return (
    <List
      size="small"
      dataSource={rows}
      renderItem={(r) => (
        <List.Item data-testid="verify-evidence-row">
          <Space>
            {r.ok ? <CheckCircleOutlined style={{ color: '#52c41a' }} /> : <CloseCircleOutlined style={{ color: '#ff4d4f' }} />}
            {r.text}
          </Space>
        </List.Item>
      )}
    />
  );
}

/**
 * 故障验证 (L4-2.3.2): on a resolved incident someone other than the resolver looks at the evidence (the checks
 * on its CIs green for the configured minutes, no alert open) and passes it (已关闭) or fails it (reopened).
 */
export function VerificationCard({ incident, canWrite }: { incident: Incident; canWrite: boolean }) {
  const { t } = useTranslation();
  const resolved = incident.status === 'resolved';
  const list = useVerifications(incident.id, resolved || incident.status === 'closed' || incident.status === 'in_progress');
  const verify = useVerifyIncident(incident.id);
  const [outcome, setOutcome] = useState<'pass' | 'fail' | null>(null);
  const [note, setNote] = useState('');
  if (!list.data || (!resolved && list.data.items.length === 0)) {
    return null;
  }
  const current = list.data.current;
  const submit = () =>
    runWithFeedback({
      run: () => verify.mutateAsync({ version: incident.version, outcome: outcome!, ...(note.trim() ? { note: note.trim() } : {}) }),
      success: outcome === 'pass' ? t('incidentVerify.passed') : t('incidentVerify.failed'),
      onDone: () => {
        setOutcome(null);
        setNote('');
      },
    });
  return (
    <Card variant="borderless" title={t('incidentVerify.title')} data-testid="incident-verification">
      {resolved && (
        <>
          <Alert type={current.ok ? 'success' : 'warning'} showIcon title={current.ok ? t('incidentVerify.ready') : t('incidentVerify.notReady')} style={{ marginBottom: 8 }} />
          <EvidenceList evidence={current} />
          {canWrite && (
            <Space style={{ marginTop: 8 }}>
              <Button type="primary" disabled={!current.ok} onClick={() => setOutcome('pass')} data-testid="verify-pass">
                {t('incidentVerify.pass')}
              </Button>
              <Button danger onClick={() => setOutcome('fail')} data-testid="verify-fail">
                {t('incidentVerify.fail')}
              </Button>
            </Space>
          )}
        </>
      )}
      {list.data.items.length > 0 && (
        <List
          size="small"
          header={t('incidentVerify.history')}
          dataSource={list.data.items}
          renderItem={(v) => (
            <List.Item>
              <Space direction="vertical" size={0}>
                <Space>
                  <Tag color={v.outcome === 'pass' ? 'green' : 'red'}>{v.outcome === 'pass' ? t('incidentVerify.outcomePass') : t('incidentVerify.outcomeFail')}</Tag>
                  {v.verifier.name} · <DateTime value={v.at} />
                </Space>
                {v.note && <Typography.Text type="secondary">{v.note}</Typography.Text>}
              </Space>
            </List.Item>
          )}
        />
      )}
      <Modal open={outcome !== null} title={outcome === 'pass' ? t('incidentVerify.pass') : t('incidentVerify.fail')} onCancel={() => setOutcome(null)} onOk={() => void submit()} confirmLoading={verify.isPending} okButtonProps={{ 'data-testid': 'verify-submit', disabled: outcome === 'fail' && !note.trim() } as never}>
        <Typography.Paragraph type="secondary">{outcome === 'pass' ? t('incidentVerify.passHelp') : t('incidentVerify.failHelp')}</Typography.Paragraph>
        <Input.TextArea rows={3} value={note} onChange={(e) => setNote(e.target.value)} maxLength={10_000} placeholder={t('incidentVerify.notePlaceholder')} data-testid="verify-note" />
      </Modal>
    </Card>
  );
}
