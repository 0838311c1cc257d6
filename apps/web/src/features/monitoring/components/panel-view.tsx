import { useMemo } from 'react';
import { Empty, Flex, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Panel } from '@yunwei/contracts/dashboards';
import { Chart, type ChartOption } from '../../../shared/components/chart';
import { useQueryRange, type ChartSeries } from '../api/use-monitoring';
import { formatValue, legendNames } from '../format';
import type { TimeWindow } from '../time-range';
import { SeriesChart } from './series-chart';

const last = (s: ChartSeries) => s.points.at(-1)?.[1] ?? null;

function GaugeView({ series, panel, height }: { series: ChartSeries[]; panel: Panel; height: number }) {
  const values = series.map(last).filter((v): v is number => v !== null);
  const value = values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
  const max = panel.max ?? 100;
  const option: ChartOption = {
    animation: false,
    series: [
      {
        type: 'gauge',
        min: 0,
        max,
        progress: { show: true, width: 12 },
        axisLine: { lineStyle: { width: 12 } },
        axisTick: { show: false },
        splitLine: { length: 8 },
        axisLabel: { distance: 16, formatter: (v: number) => formatValue(v, panel.unit) },
        detail: { valueAnimation: false, fontSize: 20, offsetCenter: [0, '70%'], formatter: (v: number) => formatValue(v, panel.unit) },
        data: [{ value }],
      },
    ],
  };
  return <Chart option={option} height={height} notMerge />;
}

function StatView({ series, panel, height }: { series: ChartSeries[]; panel: Panel; height: number }) {
  const names = legendNames(series.map((s) => s.labels));
  const shown = series.slice(0, 4);
  return (
    <Flex justify="space-around" align="center" wrap style={{ height }}>
      {shown.map((s, i) => (
        <Flex key={s.key} vertical align="center">
          <Typography.Text style={{ fontSize: shown.length > 1 ? 24 : 36, fontWeight: 600 }}>{formatValue(last(s), panel.unit)}</Typography.Text>
          {shown.length > 1 && <Typography.Text type="secondary">{names[i]}</Typography.Text>}
        </Flex>
      ))}
    </Flex>
  );
}

function TableView({ series, panel, height }: { series: ChartSeries[]; panel: Panel; height: number }) {
  const { t } = useTranslation();
  const names = legendNames(series.map((s) => s.labels));
  const rows = series.map((s, i) => {
    const values = s.points.map((p) => p[1]);
    return { key: s.key, name: names[i], last: last(s), avg: values.length ? values.reduce((a, b) => a + b, 0) / values.length : null, max: values.length ? Math.max(...values) : null };
  });
  return (
    <Table
      size="small"
      rowKey="key"
      dataSource={rows}
      pagination={false}
      scroll={{ y: height - 40 }}
      columns={[
        { title: t('monitoring.panel.series'), dataIndex: 'name' },
        { title: t('monitoring.panel.last'), dataIndex: 'last', align: 'right', render: (v: number | null) => formatValue(v, panel.unit) },
        { title: t('monitoring.panel.avg'), dataIndex: 'avg', align: 'right', render: (v: number | null) => formatValue(v, panel.unit) },
        { title: t('monitoring.panel.max'), dataIndex: 'max', align: 'right', render: (v: number | null) => formatValue(v, panel.unit) },
      ]}
    />
  );
}

/** One dashboard panel: its query over the window, drawn as its type. */
export function PanelView({ panel, window, refreshMs, height }: { panel: Panel; window: TimeWindow; refreshMs: number | false; height: number }) {
  const { t } = useTranslation();
  const { data = [], isFetching, error } = useQueryRange(panel.query.selector, window, { agg: panel.query.agg, step: panel.query.step }, refreshMs);
  const series = useMemo(() => data, [data]);
  if (error) {
    return (
      <Flex align="center" justify="center" style={{ height }}>
        <Typography.Text type="danger">{error.message}</Typography.Text>
      </Flex>
    );
  }
  if (!isFetching && series.length === 0) {
    return (
      <Flex align="center" justify="center" style={{ height }}>
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('monitoring.panel.noData')}>
          {/* The series of the panel's metric, whatever their labels: what the query may be missing. */}
          <Link to={`/monitoring/latest?q=${encodeURIComponent(/^[A-Za-z_:][\w:]*/.exec(panel.query.selector)?.[0] ?? '')}`}>{t('monitoring.panel.findSeries')}</Link>
        </Empty>
      </Flex>
    );
  }
  const points = series.reduce((n, s) => n + s.points.length, 0);
  return (
    <div data-testid={`panel-${panel.id}`} data-points={points} data-type={panel.type}>
      {panel.type === 'gauge' ? (
        <GaugeView series={series} panel={panel} height={height} />
      ) : panel.type === 'stat' ? (
        <StatView series={series} panel={panel} height={height} />
      ) : panel.type === 'table' ? (
        <TableView series={series} panel={panel} height={height} />
      ) : (
        <SeriesChart series={series} unit={panel.unit} kind={panel.type} height={height} loading={isFetching && series.length === 0} max={panel.max} />
      )}
    </div>
  );
}
