import { useMemo, type ReactNode } from 'react';
import { Card, Empty, Flex, Typography } from 'antd';
import type { PanelUnit } from '@yunwei/contracts/dashboards';
import { Chart, type ChartOption } from '../../../shared/components/chart';
import type { ChartSeries } from '../api/use-monitoring';
import { formatValue, legendNames } from '../format';

interface SeriesChartProps {
  series: readonly ChartSeries[];
  unit?: PanelUnit;
  kind?: 'line' | 'area' | 'bar';
  height?: number;
  loading?: boolean;
  /** Fixed y maximum (e.g. 100 for percentages). */
  max?: number;
  testId?: string;
  emptyText?: string;
  /** The time span the x axis shows (epoch ms). Without it ECharts fits the data, and a single point
   * (a host that just started reporting) becomes a two-day axis with nothing visible on it. */
  span?: readonly [number, number];
}

/** Below this many points per series, points are drawn as dots too (a lone point has no line). */
const SPARSE_POINTS = 30;

/** Time series as lines (or areas, bars), x = time. The container carries `data-points` (all points drawn). */
export function SeriesChart({ series, unit = 'none', kind = 'line', height = 240, loading, max, testId, emptyText, span }: SeriesChartProps) {
  const points = series.reduce((n, s) => n + s.points.length, 0);
  const option = useMemo<ChartOption>(() => {
    const names = legendNames(series.map((s) => s.labels));
    // Legend in a stable, natural order (load1, load5, load15), whatever order the server answered in.
    const order = series.map((_, i) => i).sort((a, b) => names[a]!.localeCompare(names[b]!, undefined, { numeric: true }));
    return {
      animation: false,
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', valueFormatter: (v) => formatValue(typeof v === 'number' ? v : Number(v), unit) },
      legend: { type: 'scroll', top: 0, show: series.length > 1 },
      xAxis: { type: 'time', min: span?.[0], max: span?.[1] },
      yAxis: { type: 'value', max, axisLabel: { formatter: (v: number) => formatValue(v, unit) } },
      series: order.map((i) => ({
        name: names[i],
        type: kind === 'bar' ? 'bar' : 'line',
        showSymbol: series[i]!.points.length < SPARSE_POINTS,
        smooth: false,
        areaStyle: kind === 'area' ? { opacity: 0.25 } : undefined,
        data: series[i]!.points,
      })),
    };
  }, [series, unit, kind, max, span]);

  return (
    <div data-testid={testId} data-points={points} style={{ position: 'relative' }}>
      {points === 0 && !loading ? (
        <Flex align="center" justify="center" style={{ height }}>
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={emptyText} />
        </Flex>
      ) : (
        <Chart option={option} height={height} notMerge loading={loading} />
      )}
    </div>
  );
}

/** A chart in a card with a title. */
export function ChartCard({ title, extra, children }: { title: string; extra?: ReactNode; children: ReactNode }) {
  return (
    <Card variant="borderless" size="small" title={<Typography.Text strong>{title}</Typography.Text>} extra={extra}>
      {children}
    </Card>
  );
}
