import { Card, Descriptions, Empty, Flex, Progress, Space, Tag, Typography } from 'antd';
import { PauseCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Incident, IncidentSla } from '@yunwei/contracts/incidents';
import { DateTime } from '../../../shared/components/date-time';
import { slaTone } from '../incident-meta';
import { SlaDue, useDuration } from './incident-tags';

const TONE_COLORS = { normal: '#1677ff', warning: '#fa8c16', breached: '#ff4d4f' } as const;

function SlaClock({ kind, sla }: { kind: 'response' | 'resolution'; sla: IncidentSla }) {
  const { t } = useTranslation();
  const duration = useDuration();
  const tone = slaTone(sla.percent, sla.breached, sla.warning);
  const mode = sla.mode === 'business' ? t('incidents.sla.business') : t('incidents.sla.allHours');
  return (
    <div data-testid={`sla-${kind}`}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Space size={6}>
          <Typography.Text strong>{t(`incidents.sla.${kind}`)}</Typography.Text>
          <Tag>{mode}</Tag>
          {sla.paused && (
            <Tag icon={<PauseCircleOutlined />} color="warning" data-testid={`sla-${kind}-paused`}>
              {t('incidents.sla.paused')}
            </Tag>
          )}
          {sla.stoppedAt !== null && !sla.breached && <Tag color="success">{t('incidents.sla.met')}</Tag>}
        </Space>
        {sla.stoppedAt === null && <SlaDue dueAt={sla.dueAt} breached={sla.breached} />}
        {sla.stoppedAt !== null && sla.breached && <Tag color="red">{t('incidents.sla.breached')}</Tag>}
      </Flex>
      <Progress percent={Math.min(100, Math.round(sla.percent))} strokeColor={TONE_COLORS[tone]} status={tone === 'breached' ? 'exception' : 'normal'} format={() => `${Math.round(sla.percent)}%`} />
      <Descriptions size="small" column={1} colon>
        <Descriptions.Item label={t('incidents.sla.target')}>{duration(sla.targetMinutes)}</Descriptions.Item>
        <Descriptions.Item label={t('incidents.sla.elapsed')}>{duration(sla.elapsedMinutes)}</Descriptions.Item>
        <Descriptions.Item label={sla.stoppedAt !== null ? t('incidents.sla.stoppedAt') : t('incidents.sla.dueAt')}>
          <DateTime value={sla.stoppedAt ?? sla.dueAt} emptyText={sla.paused ? t('incidents.sla.paused') : undefined} />
        </Descriptions.Item>
      </Descriptions>
    </div>
  );
}

/** 响应 and 解决 clocks: target, time used, a bar (orange from 80 %, red when breached), due time, 已暂停. */
export function SlaCard({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const { response, resolution } = incident.sla;
  return (
    <Card variant="borderless" title={t('incidents.sla.title')} data-testid="incident-sla">
      {!response && !resolution ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('incidents.sla.none')} />
      ) : (
        <Flex vertical gap={16}>
          {response && <SlaClock kind="response" sla={response} />}
          {resolution && <SlaClock kind="resolution" sla={resolution} />}
        </Flex>
      )}
    </Card>
  );
}
