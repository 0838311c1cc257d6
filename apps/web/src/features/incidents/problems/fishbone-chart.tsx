import { FISHBONE_CATEGORIES, type Problem } from '@yunwei/contracts/incident-problems';
import { Chart, type ChartOption } from '../../../shared/components/chart';
import { useProblemNames } from './problem-names';

/**
 * The fishbone as a picture: the problem at the head of a spine, the six categories (人 机 料 法 环 测) on ribs
 * above and below, each cause hanging off its rib. Drawn as an ECharts graph with fixed positions.
 */
export function FishboneChart({ problem }: { problem: Problem }) {
  const names = useProblemNames();
  const nodes: { name: string; x: number; y: number; symbolSize: number; label: { show: boolean; position?: 'top' | 'bottom' | 'left' | 'right' }; itemStyle?: { color: string } }[] = [];
  const links: { source: string; target: string }[] = [];
  const head = `${problem.number}`;
  nodes.push({ name: head, x: 100, y: 50, symbolSize: 18, label: { show: true, position: 'right' }, itemStyle: { color: '#cf1322' } });
  nodes.push({ name: '·spine', x: 0, y: 50, symbolSize: 1, label: { show: false } });
  links.push({ source: '·spine', target: head });
  FISHBONE_CATEGORIES.forEach((c, i) => {
    const top = i % 2 === 0;
    const x = 15 + Math.floor(i / 2) * 28;
    const name = names.category(c);
    nodes.push({ name, x, y: top ? 10 : 90, symbolSize: 14, label: { show: true, position: top ? 'top' : 'bottom' }, itemStyle: { color: '#1677ff' } });
    const joint = `·${c}`;
    nodes.push({ name: joint, x: x + 12, y: 50, symbolSize: 1, label: { show: false } });
    links.push({ source: name, target: joint });
    (problem.fishbone[c] ?? []).forEach((cause, j) => {
      const causeName = `${name}：${cause}`;
      nodes.push({ name: causeName, x: x + 3 + j * 2, y: top ? 18 + j * 7 : 82 - j * 7, symbolSize: 6, label: { show: true, position: 'left' } });
      links.push({ source: causeName, target: name });
    });
  });
  const option: ChartOption = {
    tooltip: { formatter: (p: unknown) => String((p as { name?: string }).name ?? '').replace(/^·.*/, '') },
    series: [
      {
        type: 'graph',
        layout: 'none',
        roam: true,
        data: nodes,
        links,
        lineStyle: { color: '#8c8c8c', width: 1.5 },
        label: { fontSize: 11, formatter: (p: unknown) => String((p as { name?: string }).name ?? '').replace(/^[^：]*：/, '') },
      },
    ],
  };
  return <Chart option={option} height={300} notMerge testId="problem-fishbone-chart" />;
}
