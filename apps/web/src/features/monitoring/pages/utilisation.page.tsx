import { useMemo, useState } from 'react';
import { Button, Card, Empty, Form, InputNumber, Segmented, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { UtilisationGroup } from '@yunwei/contracts/monitoring';
import { Chart, type ChartOption } from '../../../shared/components/chart';
import { formatDateTime } from '../../../shared/components/date-time';
import { ListTable, type EmptyState } from '../../../shared/components/list-page';
import { PageContainer } from '../../../shared/components/page-container';
import { SelectorInput } from '../../../shared/components/selector-input';
import { useCiNames } from '../../../shared/series-catalog';
import { useBusinessUtilisation } from '../api/use-business-utilisation';
import { useOverview, useUtilisation } from '../api/use-monitoring';
import { useNoDataEmpty } from '../components/no-data-empty';
import { StatusTag } from '../components/status-tag';
import { UtilisationReportCard } from '../components/utilisation-report-card';
import { useStatusAnalysis } from '../api/use-status-analysis';
import { formatValue } from '../format';

const PRESETS = {
  cpu: { metric: 'host_cpu_usage_percent', threshold: 80 },
  memory: { metric: 'host_memory_usage_percent', threshold: 85 },
  fs: { metric: 'host_fs_usage_percent', threshold: 90 },
} as const;
type Preset = keyof typeof PRESETS | 'custom';
const PERIODS = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
type Period = keyof typeof PERIODS;
type Rank = 'p95' | 'avg' | 'max';

interface Row {
  key: string;
  name: string;
  link: string | null;
  g: UtilisationGroup;
}

function Headroom({ value, threshold }: { value: number | null; threshold: number | null }) {
  if (value === null || threshold === null) {
    return <Typography.Text type="secondary">—</Typography.Text>;
  }
  // Less than 10 % of the threshold left is a warning; none left is a breach.
  const color = value < 0 ? 'red' : value < threshold * 0.1 ? 'orange' : 'green';
  return (
    <Tag color={color} data-testid="headroom" data-level={color}>
      {formatValue(value, 'none')}
    </Tag>
  );
}

export default function UtilisationPage() {
  const { t } = useTranslation();
  const [preset, setPreset] = useState<Preset>('cpu');
  const [custom, setCustom] = useState('');
  const [draft, setDraft] = useState('');
  const [threshold, setThreshold] = useState<number | null>(PRESETS.cpu.threshold);
  const [period, setPeriod] = useState<Period>('7d');
  const [groupBy, setGroupBy] = useState<'host' | 'business'>('host');
  const [rank, setRank] = useState<Rank>('p95');
  const [now] = useState(() => Date.now());
  const metric = preset === 'custom' ? custom.trim() : PRESETS[preset].metric;
  const unit = preset === 'custom' ? 'none' : 'percent';
  const span = { start: now - PERIODS[period], end: now };
  // The written analysis covers CPU, memory and file systems; the threshold set here applies to the preset shown.
  const reportThreshold = preset !== 'custom' && threshold !== null ? { [`${preset}Threshold`]: threshold } : {};
  const byHost = useUtilisation(groupBy === 'host' && metric ? { query: metric, ...span, threshold: threshold ?? undefined, by: 'ci', k: 10, rank } : null);
  const byBusiness = useBusinessUtilisation(groupBy === 'business' && metric ? { metric, ...span, threshold: threshold ?? undefined } : null);
  const { data: overview } = useOverview();
  // 运行状态分析 over the same period: a judgement per CI and business system, with its reasons.
  const status = useStatusAnalysis(span);
  const judgements = useMemo(() => new Map((status.data?.items ?? []).map((i) => [i.id, i] as const)), [status.data]);
  // Names of the hosts analysed (asked by id, so a host added since the overview was read is named too).
  const analysed = useCiNames((byHost.data?.groups ?? []).flatMap((g) => (g.key.ci ? [g.key.ci] : [])));
  const names = useMemo(() => new Map([...(overview?.cis ?? []).map((c) => [c.id, c.name] as const), ...(analysed.data ?? [])]), [overview, analysed.data]);

  const rows: Row[] = useMemo(() => {
    if (groupBy === 'host') {
      return (byHost.data?.groups ?? []).map((g) => {
        const id = g.key.ci ?? '';
        return { key: id || JSON.stringify(g.key), name: id ? (names.get(id) ?? id) : t('monitoring.utilisation.noCi'), link: id ? `/monitoring/hosts/${id}` : null, g };
      });
    }
    return (byBusiness.data ?? []).filter((b) => b.group).map((b) => ({ key: b.id, name: b.name, link: `/cmdb/cis/${b.id}`, g: b.group! }));
  }, [groupBy, byHost.data, byBusiness.data, names, t]);
  const top = useMemo(() => [...rows].filter((r) => r.g[rank] !== null).sort((a, b) => (b.g[rank] ?? 0) - (a.g[rank] ?? 0)).slice(0, 10), [rows, rank]);
  const loading = groupBy === 'host' ? byHost.isFetching : byBusiness.isFetching;
  const error = groupBy === 'host' ? byHost.error : byBusiness.error;
  const noData = useNoDataEmpty();
  // No business system to group by; no host sending data at all; or just nothing in this period.
  const empty: EmptyState =
    groupBy === 'business' && byBusiness.data?.length === 0
      ? { description: t('monitoring.overview.noBusinessSystems'), action: <Link to="/cmdb/cis">{t('monitoring.overview.toCmdb')}</Link> }
      : overview?.cis.length === 0
        ? noData
        : { description: t('monitoring.utilisation.noData') };

  const option: ChartOption = {
    animation: false,
    grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', valueFormatter: (v) => formatValue(Number(v), unit) },
    xAxis: { type: 'value', axisLabel: { formatter: (v: number) => formatValue(v, unit) } },
    yAxis: { type: 'category', inverse: true, data: top.map((r) => r.name) },
    series: [
      {
        type: 'bar',
        name: rank,
        data: top.map((r) => r.g[rank]),
        label: { show: true, position: 'right', formatter: (p) => formatValue(Number(p.value), unit) },
        itemStyle: { color: '#1677ff' },
        markLine: threshold === null ? undefined : { symbol: 'none', data: [{ xAxis: threshold }], lineStyle: { color: '#cf1322', type: 'dashed' }, label: { formatter: t('monitoring.utilisation.threshold') } },
      },
    ],
  };

  return (
    <PageContainer title={t('nav.items.monitoringUtilisation')} description={t('monitoring.utilisation.description')} testId="utilisation-page">
      <Card variant="borderless">
        <Form layout="inline" style={{ rowGap: 12 }}>
          <Form.Item label={t('monitoring.utilisation.metric')}>
            <Segmented<Preset>
              value={preset}
              options={(['cpu', 'memory', 'fs', 'custom'] as const).map((p) => ({ value: p, label: t(`monitoring.utilisation.preset.${p}`) }))}
              onChange={(p) => {
                setPreset(p);
                setThreshold(p === 'custom' ? null : PRESETS[p].threshold);
              }}
            />
          </Form.Item>
          {preset === 'custom' && (
            <Form.Item label={t('monitoring.utilisation.selector')}>
              <Space align="start">
                <SelectorInput value={draft} onChange={setDraft} onPressEnter={() => setCustom(draft)} placeholder='node_load1{job="node"}' preview={false} style={{ width: 360 }} testId="utilisation-selector" />
                <Button type="primary" onClick={() => setCustom(draft)}>
                  {t('common.search')}
                </Button>
              </Space>
            </Form.Item>
          )}
          <Form.Item label={t('monitoring.utilisation.threshold')}>
            <InputNumber value={threshold} onChange={(v) => setThreshold(v)} style={{ width: 100 }} />
          </Form.Item>
          <Form.Item label={t('monitoring.utilisation.period')}>
            <Select<Period> value={period} onChange={setPeriod} style={{ width: 120 }} options={(Object.keys(PERIODS) as Period[]).map((p) => ({ value: p, label: t(`monitoring.utilisation.periods.${p}`) }))} />
          </Form.Item>
          <Form.Item label={t('monitoring.utilisation.groupBy')}>
            <Segmented value={groupBy} onChange={(v) => setGroupBy(v as 'host' | 'business')} options={[{ value: 'host', label: t('monitoring.utilisation.byHost') }, { value: 'business', label: t('monitoring.utilisation.byBusiness') }]} />
          </Form.Item>
          <Form.Item label={t('monitoring.utilisation.rank')}>
            <Select<Rank> value={rank} onChange={setRank} style={{ width: 100 }} options={(['p95', 'avg', 'max'] as const).map((r) => ({ value: r, label: t(`monitoring.utilisation.col.${r}`) }))} />
          </Form.Item>
        </Form>
        {error && <Typography.Text type="danger">{error.message}</Typography.Text>}
      </Card>
      <Card variant="borderless" title={t('monitoring.utilisation.top', { count: top.length })}>
        {top.length ? (
          <div data-testid="utilisation-top" data-bars={top.length}>
            <Chart option={option} height={Math.max(160, top.length * 36 + 24)} notMerge />
          </div>
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('monitoring.utilisation.noData')} />
        )}
      </Card>
      <Card variant="borderless">
        <ListTable<Row>
          size="small"
          rowKey="key"
          loading={loading}
          dataSource={rows}
          data-testid="utilisation-table"
          empty={empty}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={[
            { title: groupBy === 'host' ? t('monitoring.utilisation.host') : t('monitoring.utilisation.business'), dataIndex: 'name', render: (_, r) => (r.link ? <Link to={r.link}>{r.name}</Link> : r.name) },
            { title: t('monitoring.utilisation.col.avg'), align: 'right', sorter: (a, b) => (a.g.avg ?? 0) - (b.g.avg ?? 0), render: (_, r) => formatValue(r.g.avg, unit) },
            { title: t('monitoring.utilisation.col.p95'), align: 'right', sorter: (a, b) => (a.g.p95 ?? 0) - (b.g.p95 ?? 0), render: (_, r) => formatValue(r.g.p95, unit) },
            { title: t('monitoring.utilisation.col.max'), align: 'right', sorter: (a, b) => (a.g.max ?? 0) - (b.g.max ?? 0), render: (_, r) => formatValue(r.g.max, unit) },
            {
              title: t('monitoring.utilisation.col.trend'),
              align: 'right',
              render: (_, r) =>
                r.g.trendPerDay === null ? (
                  '—'
                ) : (
                  <Space size={2}>
                    {r.g.trendPerDay > 0 ? <ArrowUpOutlined style={{ color: '#cf1322' }} /> : <ArrowDownOutlined style={{ color: '#389e0d' }} />}
                    {`${formatValue(r.g.trendPerDay, unit)}/${t('monitoring.utilisation.day')}`}
                  </Space>
                ),
            },
            { title: t('monitoring.utilisation.col.headroom'), align: 'right', sorter: (a, b) => (a.g.headroom ?? 0) - (b.g.headroom ?? 0), render: (_, r) => <Headroom value={r.g.headroom} threshold={threshold} /> },
            {
              title: t('monitoring.utilisation.col.eta'),
              render: (_, r) => (r.g.thresholdEta ? <Tooltip title={t('monitoring.utilisation.etaHint')}>{formatDateTime(r.g.thresholdEta)}</Tooltip> : '—'),
            },
            { title: t('monitoring.utilisation.col.points'), align: 'right', render: (_, r) => r.g.points },
            // 运行状态分析 last: the judgement of the host or business system over the period (reasons in the tooltip).
            {
              title: <Tooltip title={t('monitoring.utilisation.statusHint')}>{t('monitoring.utilisation.status')}</Tooltip>,
              key: 'status',
              render: (_, r) => <StatusTag judgement={judgements.get(r.key)} />,
            },
          ]}
        />
      </Card>
      <UtilisationReportCard params={{ ...span, ...reportThreshold }} />
    </PageContainer>
  );
}
