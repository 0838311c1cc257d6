import { Button, Card, Empty, List, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CauseEvent } from '@yunwei/contracts/incident-timeline';
import type { Incident, IncidentHypothesis } from '@yunwei/contracts/incidents';
import { DateTime } from '../../../shared/components/date-time';
import { runWithFeedback } from '../../../shared/confirm-mutation';
import { CauseTimeline } from '../cause-timeline/cause-timeline';
import { useDecideHypothesis, useHypotheses, useProposeHypothesis } from '../verification/use-verification';

const STATUS_COLORS: Record<IncidentHypothesis['status'], string> = { proposed: 'blue', confirmed: 'green', rejected: 'default' };

/**
 * 原因追溯 (L2-2.1.3): the correlated timeline around the incident's start for its CIs and what they rely on;
 * an event becomes a suspected cause (假设) that the analyst confirms or rejects.
 */
export function CauseTab({ incident, canWrite }: { incident: Incident; canWrite: boolean }) {
  const { t } = useTranslation();
  const hypotheses = useHypotheses(incident.id);
  const propose = useProposeHypothesis(incident.id);
  const decide = useDecideHypothesis(incident.id);
  const recorded = new Set((hypotheses.data?.items ?? []).map((h) => h.eventId));
  const onHypothesis = (e: CauseEvent) =>
    runWithFeedback({
      run: () => propose.mutateAsync({ eventId: e.id, kind: e.kind, at: e.at, ciId: e.ciId, title: e.title, link: e.link || undefined }),
      success: t('incidentCause.proposed'),
    });
  const decideOne = (h: IncidentHypothesis, status: 'confirmed' | 'rejected') => runWithFeedback({ run: () => decide.mutateAsync({ id: h.id, body: { status } }), success: status === 'confirmed' ? t('incidentCause.confirmed') : t('incidentCause.rejected') });
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card variant="borderless" title={t('incidentCause.hypotheses')} data-testid="incident-hypotheses">
        {hypotheses.data?.items.length ? (
          <List
            size="small"
            dataSource={hypotheses.data.items}
            renderItem={(h) => (
              <List.Item
                data-testid="incident-hypothesis"
                actions={
                  canWrite && h.status === 'proposed'
                    ? [
                        <Button key="c" size="small" type="link" onClick={() => void decideOne(h, 'confirmed')} data-testid="hypothesis-confirm">
                          {t('incidentCause.confirm')}
                        </Button>,
                        <Button key="r" size="small" type="link" danger onClick={() => void decideOne(h, 'rejected')} data-testid="hypothesis-reject">
                          {t('incidentCause.reject')}
                        </Button>,
                      ]
                    : []
                }
              >
                <Space direction="vertical" size={0}>
                  <Space>
                    <Tag color={STATUS_COLORS[h.status]}>{t(`incidentCause.status.${h.status}`)}</Tag>
                    {h.link ? <Link to={h.link}>{h.title}</Link> : h.title}
                  </Space>
                  <Typography.Text type="secondary">
                    <DateTime value={h.at} />
                    {h.ci ? ` · ${h.ci.name}` : ''}
                    {h.note ? ` · ${h.note}` : ''}
                  </Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('incidentCause.none')} />
        )}
      </Card>
      {incident.cis.length ? (
        <CauseTimeline ciIds={incident.cis.map((c) => c.id)} at={incident.detectedAt} onHypothesis={canWrite ? (e) => (recorded.has(e.id) ? undefined : void onHypothesis(e)) : undefined} />
      ) : (
        <Card variant="borderless">
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('incidentCause.noCis')} />
        </Card>
      )}
    </Space>
  );
}
