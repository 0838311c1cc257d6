import { useMemo, useState } from 'react';
import { Button, Card, Col, DatePicker, Empty, Row, Segmented, Space, Statistic, Table, type TableColumnsType } from 'antd';
import { FileExcelOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { IncidentStats, IncidentStatsCount, IncidentStatsGroup } from '@yunwei/contracts/incident-reports';
import { Chart, type ChartOption } from '../../../shared/components/chart';
import { DateTime } from '../../../shared/components/date-time';
import { PageContainer } from '../../../shared/components/page-container';
import { runWithFeedback } from '../../../shared/confirm-mutation';
import { downloadIncidentStats, useIncidentStats } from '../documents/use-incident-documents';

type SlaRow = IncidentStats['sla'][number];
type RecurringRow = IncidentStats['recurring'][number];

const rate = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)}%`);
const minutes = (v: number | null) => (v === null ? '—' : v.toFixed(1));

function barOption(rows: IncidentStatsCount[], name: string): ChartOption {
  const top = rows.slice(0, 12);
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', inverse: true, data: top.map((r) => r.name), axisLabel: { width: 120, overflow: 'truncate' } },
    series: [{ type: 'bar', name, data: top.map((r) => r.count), barMaxWidth: 24 }],
  };
}

function pieOption(rows: IncidentStatsCount[], name: string): ChartOption {
  return {
    tooltip: { trigger: 'item' },
    legend: { bottom: 0, type: 'scroll' },
    series: [{ type: 'pie', name, radius: ['35%', '65%'], center: ['50%', '45%'], data: rows.map((r) => ({ name: r.name, value: r.count })), label: { formatter: '{b}: {c}' } }],
  };
}

/** A chart card, or "no incidents" when the breakdown is empty. */
function ChartCard({ title, rows, option, testId }: { title: string; rows: unknown[]; option: ChartOption; testId: string }) {
  const { t } = useTranslation();
  return (
    <Card variant="borderless" title={title} data-testid={testId}>
      {rows.length ? <Chart option={option} notMerge height={280} /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('incidentStats.none')} />}
    </Card>
  );
}

/** 故障统计: incidents by type, nature, CI class and business system; MTTA / MTTR trend; SLA compliance; recurring faults; Excel export. */
export default function IncidentStatsPage() {
  const { t } = useTranslation();
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [dayjs().subtract(5, 'month').startOf('month'), dayjs().endOf('day')]);
  const [groupBy, setGroupBy] = useState<IncidentStatsGroup>('month');
  const query = useMemo(() => ({ from: range[0].startOf('day').valueOf(), to: range[1].endOf('day').valueOf() + 1, groupBy }), [range, groupBy]);
  const stats = useIncidentStats(query);
  const s = stats.data;
  const [exporting, setExporting] = useState(false);

  const trend: ChartOption | null = s
    ? {
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
        xAxis: { type: 'category', data: s.trend.map((b) => b.label) },
        yAxis: [
          { type: 'value', name: t('incidentStats.count'), minInterval: 1 },
          { type: 'value', name: t('incidentStats.minutes') },
        ],
        series: [
          { type: 'bar', name: t('incidentStats.count'), data: s.trend.map((b) => b.count), barMaxWidth: 24 },
          { type: 'line', name: 'MTTA', yAxisIndex: 1, data: s.trend.map((b) => b.mttaMinutes), connectNulls: true },
          { type: 'line', name: 'MTTR', yAxisIndex: 1, data: s.trend.map((b) => b.mttrMinutes), connectNulls: true },
        ],
      }
    : null;

  const slaColumns: TableColumnsType<SlaRow> = [
    { title: t('incidentStats.priority'), dataIndex: 'priority' },
    { title: t('incidentStats.responded'), dataIndex: 'responseTotal', align: 'right' },
    { title: t('incidentStats.responseRate'), key: 'rr', align: 'right', render: (_, r) => `${rate(r.responseRate)}（${r.responseMet}/${r.responseTotal}）` },
    { title: t('incidentStats.resolved'), dataIndex: 'resolutionTotal', align: 'right' },
    { title: t('incidentStats.resolutionRate'), key: 'sr', align: 'right', render: (_, r) => `${rate(r.resolutionRate)}（${r.resolutionMet}/${r.resolutionTotal}）` },
  ];
  const recurringColumns: TableColumnsType<RecurringRow> = [
    { title: t('incidentStats.type'), dataIndex: 'typeName' },
    { title: t('incidentStats.ci'), dataIndex: 'ciName' },
    { title: t('incidentStats.times'), dataIndex: 'count', align: 'right' },
    { title: t('incidentStats.lastAt'), dataIndex: 'lastAt', render: (v: number) => <DateTime value={v} /> },
  ];

  return (
    <PageContainer
      title={t('nav.items.incidentStats')}
      description={t('nav.descriptions.incidentStats')}
      testId="incident-stats-page"
      extra={
        <>
          <DatePicker.RangePicker value={range} allowClear={false} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} data-testid="incident-stats-range" />
          <Segmented<IncidentStatsGroup>
            value={groupBy}
            onChange={setGroupBy}
            options={[
              { value: 'week', label: t('incidentStats.byWeek') },
              { value: 'month', label: t('incidentStats.byMonth') },
            ]}
          />
          <Button
            icon={<FileExcelOutlined />}
            loading={exporting}
            data-testid="incident-stats-export"
            onClick={() => {
              setExporting(true);
              void runWithFeedback({ run: () => downloadIncidentStats(query), success: null }).finally(() => setExporting(false));
            }}
          >
            {t('incidentStats.export')}
          </Button>
        </>
      }
    >
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Row gutter={[16, 16]}>
          {[
            ['total', t('incidentStats.total'), s?.total],
            ['cancelled', t('incidentStats.cancelled'), s?.cancelled],
            ['mtta', t('incidentStats.mtta'), s ? minutes(s.mttaMinutes) : undefined],
            ['mttr', t('incidentStats.mttr'), s ? minutes(s.mttrMinutes) : undefined],
          ].map(([key, title, value]) => (
            <Col xs={12} md={6} key={String(key)}>
              <Card variant="borderless" loading={stats.isLoading}>
                <Statistic title={title} value={value ?? '—'} data-testid={`incident-stats-${String(key)}`} />
              </Card>
            </Col>
          ))}
        </Row>
        {s && trend && (
          <>
            <ChartCard title={t('incidentStats.trend')} rows={s.trend} option={trend} testId="incident-stats-trend" />
            <Row gutter={[16, 16]}>
              <Col xs={24} lg={12}>
                <ChartCard title={t('incidentStats.byTopType')} rows={s.byTopType} option={barOption(s.byTopType, t('incidentStats.count'))} testId="incident-stats-top-type" />
              </Col>
              <Col xs={24} lg={12}>
                <ChartCard title={t('incidentStats.byNature')} rows={s.byNature} option={pieOption(s.byNature, t('incidentStats.byNature'))} testId="incident-stats-nature" />
              </Col>
              <Col xs={24} lg={12}>
                <ChartCard title={t('incidentStats.byType')} rows={s.byType} option={barOption(s.byType, t('incidentStats.count'))} testId="incident-stats-type" />
              </Col>
              <Col xs={24} lg={12}>
                <ChartCard title={t('incidentStats.byPriority')} rows={s.byPriority.filter((r) => r.count > 0)} option={pieOption(s.byPriority.filter((r) => r.count > 0), t('incidentStats.byPriority'))} testId="incident-stats-priority" />
              </Col>
              <Col xs={24} lg={12}>
                <ChartCard title={t('incidentStats.byCiClass')} rows={s.byCiClass} option={barOption(s.byCiClass, t('incidentStats.count'))} testId="incident-stats-ci-class" />
              </Col>
              <Col xs={24} lg={12}>
                <ChartCard title={t('incidentStats.byBusinessSystem')} rows={s.byBusinessSystem} option={barOption(s.byBusinessSystem, t('incidentStats.count'))} testId="incident-stats-business" />
              </Col>
            </Row>
            <Card variant="borderless" title={t('incidentStats.sla')}>
              <Table<SlaRow> rowKey="priority" size="small" pagination={false} columns={slaColumns} dataSource={s.sla} scroll={{ x: true }} data-testid="incident-stats-sla" />
            </Card>
            <Card variant="borderless" title={t('incidentStats.recurring')}>
              <Table<RecurringRow>
                rowKey={(r) => `${r.typeName}-${r.ciName}`}
                size="small"
                pagination={false}
                columns={recurringColumns}
                dataSource={s.recurring}
                scroll={{ x: true }}
                locale={{ emptyText: t('incidentStats.noRecurring') }}
                data-testid="incident-stats-recurring"
              />
            </Card>
          </>
        )}
      </Space>
    </PageContainer>
  );
}
