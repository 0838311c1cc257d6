import { Alert, Button, Card, Flex, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CauseEvent, CauseEventKind } from '@yunwei/contracts/incident-timeline';
import { ListTable } from '../../../shared/components/list-page';
import { formatDateTime } from '../../../shared/components/date-time';
import { CauseTimelineChart } from './cause-timeline-chart';
import { type CauseTimelineParams, useCauseTimeline } from './use-cause-timeline';

const KIND_COLORS: Record<CauseEventKind, string> = { alert: 'red', check: 'orange', metric: 'purple', agent: 'gold', change: 'blue' };

export interface CauseTimelineProps extends CauseTimelineParams {
  /** Shows 设为可能原因 on each event; the incident page records the hypothesis. */
  onHypothesis?: (event: CauseEvent) => void;
}

type Row = CauseEvent & { rank: number };

/** "−12 分钟", "+3 分钟", "开始时": the time of an event relative to the start. */
export function useRelativeTime() {
  const { t } = useTranslation();
  return (delta: number): string => {
    const abs = Math.abs(delta);
    if (abs < 1000) {
      return t('causeTimeline.relAt');
    }
    const minutes = Math.round(abs / 60_000);
    const span =
      abs < 60_000
        ? t('causeTimeline.seconds', { count: Math.round(abs / 1000) })
        : minutes < 60
          ? t('causeTimeline.minutes', { count: minutes })
          : t('causeTimeline.hours', { h: Math.floor(minutes / 60), m: minutes % 60 });
    return delta < 0 ? t('causeTimeline.relBefore', { span }) : t('causeTimeline.relAfter', { span });
  };
}

/**
 * 追溯异常原因 (L2-2.1.3): the events around `at` on the CIs and what they rely on, on a time axis and
 * ranked as likely causes, each with why it ranks there.
 */
export function CauseTimeline({ onHypothesis, ...params }: CauseTimelineProps) {
  const { t } = useTranslation();
  const relative = useRelativeTime();
  const timeline = useCauseTimeline(params);
  const data = timeline.data;
  const rows: Row[] = (data?.events ?? []).map((e, i) => ({ ...e, rank: i + 1 }));
  const columns: TableColumnsType<Row> = [
    { title: t('causeTimeline.rank'), dataIndex: 'rank', key: 'rank', width: 64 },
    {
      title: t('causeTimeline.when'),
      key: 'when',
      width: 110,
      render: (_, e) => <span title={formatDateTime(e.at)}>{data ? relative(e.at - data.at) : ''}</span>,
    },
    { title: t('causeTimeline.source'), key: 'kind', width: 110, render: (_, e) => <Tag color={KIND_COLORS[e.kind]}>{t(`causeTimeline.kind.${e.kind}`)}</Tag> },
    { title: t('causeTimeline.ci'), dataIndex: 'ciName', key: 'ci' },
    {
      title: t('causeTimeline.what'),
      key: 'what',
      render: (_, e) => (
        <Flex vertical>
          <Link to={e.link}>{e.title}</Link>
          {e.detail ? <Typography.Text type="secondary">{e.detail}</Typography.Text> : null}
        </Flex>
      ),
    },
    { title: t('causeTimeline.why'), dataIndex: 'reason', key: 'why' },
    { title: t('causeTimeline.score'), key: 'score', width: 72, render: (_, e) => e.score.toFixed(2) },
    ...(onHypothesis
      ? [
          {
            title: '',
            key: 'actions',
            width: 130,
            render: (_: unknown, e: Row) => (
              <Button size="small" onClick={() => onHypothesis(e)} data-testid={`cause-hypothesis-${e.rank}`}>
                {t('causeTimeline.setHypothesis')}
              </Button>
            ),
          },
        ]
      : []),
  ];
  return (
    <Card title={t('causeTimeline.title')} data-testid="cause-timeline" loading={timeline.isLoading}>
      <Flex vertical gap={12}>
        <Typography.Text type="secondary">
          {t('causeTimeline.description')} {data ? t('causeTimeline.cisLine', { count: data.cis.length }) : null}
        </Typography.Text>
        {data && data.hiddenCis > 0 ? <Alert type="info" showIcon message={t('causeTimeline.hiddenCis', { count: data.hiddenCis })} /> : null}
        {timeline.error ? <Alert type="error" showIcon message={timeline.error.message} /> : null}
        {data && data.events.length > 0 ? <CauseTimelineChart events={data.events} from={data.from} to={data.to} at={data.at} /> : null}
        {data && data.total > data.events.length ? <Typography.Text type="secondary">{t('causeTimeline.more', { total: data.total, shown: data.events.length })}</Typography.Text> : null}
        <ListTable<Row>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={rows}
          loading={timeline.isFetching}
          pagination={rows.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
          empty={{ description: t('causeTimeline.empty') }}
          cards={{ title: 'what', badges: ['kind'], fields: ['when', 'ci', 'why'], ...(onHypothesis ? { actions: 'actions' } : {}) }}
          data-testid="cause-timeline-table"
        />
      </Flex>
    </Card>
  );
}
