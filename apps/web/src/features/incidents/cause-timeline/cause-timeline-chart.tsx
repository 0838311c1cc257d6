import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { CAUSE_EVENT_KINDS, type CauseEvent, type CauseEventKind } from '@yunwei/contracts/incident-timeline';
import { Chart, type ChartOption } from '../../../shared/components/chart';
import { formatDateTime } from '../../../shared/components/date-time';

const SEVERITY_COLORS: Record<NonNullable<CauseEvent['severity']>, string> = { critical: '#cf1322', warning: '#d48806', info: '#1677ff' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The events on a time axis, one row per source; a point's size is its score, its colour the
 * severity; the start is a dashed line. (A line series with no line draws the points: the shared
 * chart registers no scatter series.)
 */
export function CauseTimelineChart({ events, from, to, at }: { events: readonly CauseEvent[]; from: number; to: number; at: number }) {
  const { t } = useTranslation();
  const option = useMemo<ChartOption>(() => {
    const label = (kind: CauseEventKind) => t(`causeTimeline.kind.${kind}`);
    const byId = new Map(events.map((e) => [e.id, e]));
    return {
      grid: { left: 110, right: 24, top: 24, bottom: 40 },
      xAxis: { type: 'time', min: from, max: to },
      yAxis: { type: 'category', data: CAUSE_EVENT_KINDS.map(label), inverse: true },
      tooltip: {
        trigger: 'item',
        formatter: (p: unknown) => {
          const id = (p as { data?: { id?: string } }).data?.id;
          const e = id ? byId.get(id) : undefined;
          return e ? `${escapeHtml(formatDateTime(e.at))}<br/><b>${escapeHtml(e.title)}</b><br/>${escapeHtml(e.detail)}<br/>${escapeHtml(e.reason)}` : '';
        },
      },
      series: CAUSE_EVENT_KINDS.map((kind, i) => ({
        type: 'line' as const,
        name: label(kind),
        lineStyle: { width: 0 },
        symbol: 'circle',
        showSymbol: true,
        data: events
          .filter((e) => e.kind === kind)
          .map((e) => ({ id: e.id, value: [e.at, label(kind)], symbolSize: 6 + Math.round(e.score * 14), itemStyle: { color: SEVERITY_COLORS[e.severity ?? 'info'] } })),
        ...(i === 0 ? { markLine: { symbol: 'none', silent: true, data: [{ xAxis: at }], lineStyle: { color: '#cf1322', type: 'dashed' as const }, label: { formatter: t('causeTimeline.start') } } } : {}),
      })),
    };
  }, [events, from, to, at, t]);
  return <Chart option={option} height={220} notMerge testId="cause-timeline-chart" containerProps={{ 'data-points': events.length }} />;
}
