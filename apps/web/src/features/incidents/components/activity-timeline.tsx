import { useState } from 'react';
import { Button, Card, Empty, Flex, Input, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { INCIDENT_LIMITS, type IncidentActivity } from '@yunwei/contracts/incidents';
import { DateTime } from '../../../shared/components/date-time';
import { runWithFeedback } from '../../../shared/confirm-mutation';
import { useCommentIncident, useIncidentActivity } from '../api/use-incidents';

const KIND_COLORS: Record<IncidentActivity['kind'], string> = {
  created: 'blue',
  updated: 'gray',
  status: 'green',
  assigned: 'purple',
  times: 'gray',
  comment: 'blue',
  sla: 'red',
  alert: 'orange',
  link: 'gray',
  classify: 'cyan',
};

/** What happened to the incident, newest first, and a box to add a comment. */
export function ActivityTimeline({ incidentId }: { incidentId: string }) {
  const { t } = useTranslation();
  const activity = useIncidentActivity(incidentId);
  const comment = useCommentIncident();
  const [text, setText] = useState('');
  const items = [...(activity.data?.items ?? [])].sort((a, b) => b.at - a.at);
  const send = () =>
    runWithFeedback({
      run: () => comment.mutateAsync({ id: incidentId, body: { text: text.trim() } }),
      success: t('incidents.activity.commented'),
      onDone: () => setText(''),
    });
  return (
    <Card variant="borderless" title={t('incidents.activity.title')} data-testid="incident-activity">
      <Flex vertical gap={8} style={{ marginBottom: 20 }}>
        <Input.TextArea rows={2} value={text} maxLength={INCIDENT_LIMITS.comment} onChange={(e) => setText(e.target.value)} placeholder={t('incidents.activity.placeholder')} data-testid="incident-comment" />
        <Flex justify="flex-end">
          <Button type="primary" disabled={!text.trim()} loading={comment.isPending} onClick={() => void send()} data-testid="incident-comment-send">
            {t('incidents.activity.send')}
          </Button>
        </Flex>
      </Flex>
      {items.length === 0 && !activity.isLoading ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('incidents.activity.empty')} />
      ) : (
        <Timeline
          items={items.map((a) => ({
            key: a.id,
            color: KIND_COLORS[a.kind],
            content: (
              <div data-testid="activity-item">
                <Typography.Text>{a.text}</Typography.Text>
                {a.note && <Typography.Paragraph style={{ margin: '4px 0 0', whiteSpace: 'pre-wrap' }}>{a.note}</Typography.Paragraph>}
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    <DateTime value={a.at} /> {a.actor ? `· ${a.actor.name}` : ''}
                  </Typography.Text>
                </div>
              </div>
            ),
          }))}
        />
      )}
    </Card>
  );
}
