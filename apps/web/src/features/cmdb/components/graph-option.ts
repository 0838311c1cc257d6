import type { GraphEdge, GraphNode } from '@yunwei/contracts/cmdb';
import type { ChartOption } from '../../../shared/components/chart';
import { classColor } from '../cmdb-meta';
import { layeredLayout } from '../graph-layout';

export type GraphMode = 'impact' | 'dependencies';

interface Texts {
  nodeName: (node: GraphNode) => string;
  className: (code: string | null) => string;
  state: (node: GraphNode) => string;
  relation: (edge: GraphEdge) => string;
  groupSummary: (node: GraphNode) => string;
}

const STATE_BORDER: Record<GraphNode['state'], { color: string; width: number; type?: 'dashed' }> = {
  failed: { color: '#f5222d', width: 5 },
  impacted: { color: '#fa541c', width: 3 },
  degraded: { color: '#faad14', width: 3, type: 'dashed' },
  up: { color: '#52c41a', width: 2 },
  root: { color: '#1677ff', width: 5 },
  dependency: { color: '#ffffff', width: 2 },
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The ECharts option of an impact or dependency graph: a layered layout, nodes coloured by class,
 * the failed CI (or the root) emphasised, business systems as large gold-ringed boxes, arrows in
 * the direction impact travels (impact) or of "relies on" (dependencies) — left to right in both.
 */
export function graphOption(mode: GraphMode, nodes: readonly GraphNode[], edges: readonly GraphEdge[], texts: Texts): ChartOption {
  const placed = layeredLayout(nodes, edges);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  return {
    animationDuration: 300,
    tooltip: {
      confine: true,
      formatter: (params: unknown) => {
        const p = params as { dataType: string; data: { node?: GraphNode; edge?: GraphEdge } };
        if (p.dataType === 'node' && p.data.node) {
          const n = p.data.node;
          const lines = [`<b>${escapeHtml(texts.nodeName(n))}</b>`, escapeHtml(texts.className(n.classCode)), escapeHtml(texts.state(n))];
          if (n.kind === 'group') {
            lines.push(escapeHtml(texts.groupSummary(n)));
          }
          return lines.join('<br/>');
        }
        if (p.dataType === 'edge' && p.data.edge) {
          const e = p.data.edge;
          const source = byId.get(e.source);
          const target = byId.get(e.target);
          return `${escapeHtml(source ? texts.nodeName(source) : '')} → ${escapeHtml(target ? texts.nodeName(target) : '')}<br/>${escapeHtml(texts.relation(e))}`;
        }
        return '';
      },
    },
    series: [
      {
        type: 'graph',
        layout: 'none',
        roam: true,
        draggable: true,
        edgeSymbol: ['none', 'arrow'],
        edgeSymbolSize: 9,
        emphasis: { focus: 'adjacency', lineStyle: { width: 3 } },
        label: { show: true, position: 'bottom', fontSize: 12, color: '#262626', width: 160, overflow: 'truncate' },
        data: nodes.map((n) => {
          const p = placed.get(n.id);
          const border = STATE_BORDER[n.state];
          const emphasised = n.state === 'failed' || n.state === 'root';
          const size = n.businessSystem ? [116, 40] : n.kind === 'group' ? 42 : emphasised ? 48 : 36;
          return {
            id: n.id,
            name: texts.nodeName(n),
            x: p?.x ?? 0,
            y: p?.y ?? 0,
            node: n,
            symbol: n.businessSystem ? 'roundRect' : n.kind === 'group' ? 'diamond' : 'circle',
            symbolSize: size,
            itemStyle: {
              color: n.kind === 'group' ? '#d9d9d9' : classColor(n.classCode),
              borderColor: n.businessSystem && !emphasised ? '#d48806' : border.color,
              borderWidth: n.businessSystem ? Math.max(3, border.width) : border.width,
              borderType: border.type ?? 'solid',
              opacity: n.state === 'up' || n.restricted ? 0.55 : 1,
              shadowBlur: emphasised || n.businessSystem ? 16 : 0,
              shadowColor: n.state === 'failed' ? 'rgba(245,34,45,0.6)' : n.businessSystem ? 'rgba(250,173,20,0.7)' : 'rgba(22,119,255,0.5)',
            },
            label: n.businessSystem
              ? { position: 'inside', color: '#fff', fontWeight: 'bold', width: 108, overflow: 'truncate' }
              : emphasised
                ? { fontWeight: 'bold', color: n.state === 'failed' ? '#cf1322' : '#0958d9' }
                : undefined,
          };
        }),
        links: edges.map((e) => {
          // Impact travels from the relied-on CI (target) to the one relying on it (source).
          const forward = mode === 'dependencies';
          return {
            source: forward ? e.source : e.target,
            target: forward ? e.target : e.source,
            edge: e,
            lineStyle: {
              color: e.type === 'member' ? '#bfbfbf' : e.propagates ? '#8c8c8c' : '#d9d9d9',
              type: e.type === 'member' || !e.propagates ? 'dashed' : 'solid',
              width: e.type === 'member' ? 1 : 1.6,
              curveness: 0.08,
            },
          };
        }),
      },
    ],
  } as ChartOption;
}
