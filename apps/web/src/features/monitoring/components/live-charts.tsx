import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Col, Row, Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { LiveSeriesMessage, PanelUnit } from '@yunwei/contracts/dashboards';
import { labelsKey, useQueryRange, type ChartSeries } from '../api/use-monitoring';
import { useLiveMetrics, type LiveStatus } from '../api/use-live';
import type { TimeWindow } from '../time-range';
import { ChartCard, SeriesChart } from './series-chart';

export interface LiveChartDef {
  id: string;
  title: string;
  selector: string;
  unit: PanelUnit;
  max?: number;
  kind?: 'line' | 'area';
}

/** Live points per chart, per series, appended after the range query's data. */
type LivePoints = Record<string, Record<string, ChartSeries>>;
const MAX_LIVE_POINTS = 5000;

function merge(base: readonly ChartSeries[], live: Record<string, ChartSeries> | undefined, from: number): ChartSeries[] {
  const out = new Map(base.map((s) => [s.key, { ...s, points: s.points.filter((p) => p[0] >= from) }]));
  for (const extra of Object.values(live ?? {})) {
    const existing = out.get(extra.key);
    const last = existing?.points.at(-1)?.[0] ?? -Infinity;
    const newer = extra.points.filter((p) => p[0] > last && p[0] >= from);
    if (existing) {
      existing.points = [...existing.points, ...newer];
    } else {
      out.set(extra.key, { ...extra, points: newer });
    }
  }
  return [...out.values()];
}

function OneChart({ def, window, live, extra }: { def: LiveChartDef; window: TimeWindow; live: Record<string, ChartSeries> | undefined; extra?: ReactNode }) {
  const { t } = useTranslation();
  const { data = [], isFetching } = useQueryRange(def.selector, window);
  // Relative windows keep sliding: drop what falls out on the left.
  const resolved = window.resolve();
  const from = window.live ? Date.now() - (resolved.end - resolved.start) : (window.start ?? 0);
  const series = useMemo(() => (window.live ? merge(data, live, from) : data), [data, live, window.live, from]);
  const span = useMemo(() => [from, window.live ? from + (resolved.end - resolved.start) : resolved.end] as const, [from, window.live, resolved.end, resolved.start]);
  return (
    <ChartCard title={def.title} extra={extra}>
      <SeriesChart series={series} span={span} unit={def.unit} max={def.max} kind={def.kind} loading={isFetching && data.length === 0} testId={`chart-${def.id}`} emptyText={t('monitoring.host.noData')} />
    </ChartCard>
  );
}

export function LiveStatusTag({ status, live }: { status: LiveStatus; live: boolean }) {
  const { t } = useTranslation();
  if (!live) {
    return <Tag>{t('monitoring.live.paused')}</Tag>;
  }
  const color = status === 'open' ? 'green' : status === 'connecting' ? 'blue' : 'default';
  return (
    <Tooltip title={t('monitoring.live.hint')}>
      <Tag color={color} data-testid="live-status" data-status={status}>
        {t(`monitoring.live.${status}`)}
      </Tag>
    </Tooltip>
  );
}

/**
 * Charts that load their window with range queries and, for windows relative to now, append the
 * samples the live WebSocket pushes (one socket, one subscription per chart).
 */
export function LiveCharts({ defs, window, onStatus, chartExtra }: { defs: readonly LiveChartDef[]; window: TimeWindow; onStatus?: (s: LiveStatus) => void; chartExtra?: (def: LiveChartDef) => ReactNode }) {
  const [live, setLive] = useState<LivePoints>({});
  const subscriptions = useMemo(() => defs.map((d) => ({ id: d.id, selector: d.selector })), [defs]);
  const onSeries = useCallback((message: LiveSeriesMessage) => {
    setLive((prev) => {
      const chart = { ...(prev[message.id] ?? {}) };
      for (const s of message.series) {
        const key = labelsKey(s.labels);
        const points = [...(chart[key]?.points ?? []), ...s.points].slice(-MAX_LIVE_POINTS);
        chart[key] = { key, labels: s.labels, points };
      }
      return { ...prev, [message.id]: chart };
    });
  }, []);
  const { status } = useLiveMetrics(subscriptions, onSeries, window.live);
  useEffect(() => onStatus?.(status), [status, onStatus]);
  return (
    <Row gutter={[16, 16]}>
      {defs.map((def) => (
        <Col key={def.id} xs={24} xl={12}>
          <OneChart def={def} window={window} live={live[def.id]} extra={chartExtra?.(def)} />
        </Col>
      ))}
    </Row>
  );
}
