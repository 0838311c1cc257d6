// `npm run bench -- report [--duration <s>] [--runs <n>] [--cis <n>] [--out <dir>]`
//
// A periodic report as the reports module writes one: about 40 A4 pages over `--cis` CIs (1,000),
// with 20 time-series line charts (5 series of 7 days at 5-minute steps each, drawn on the server with
// ECharts + resvg), a table of one row per CI, a table of the 100 busiest CIs, paragraphs with marks,
// lists and a code block. Each run draws the 20 charts, then writes the PDF and the Word file; runs
// go on for `--duration` seconds (at least `--runs`, 3). Reports the median and max per step and for
// the whole (charts + PDF + Word), wall-clock and CPU, the page count and sizes. Prints one JSON line;
// with `--out`, also writes report.pdf and report.docx there to look at.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { DocumentBlock, DocumentTone, WrittenDocument } from '../packages/contracts/src/documents.js';
import { timeSeriesChart, type TimeSeries } from '../apps/server/src/platform/documents/charts.js';
import { renderDocx } from '../apps/server/src/platform/documents/docx.js';
import { renderPdf } from '../apps/server/src/platform/documents/pdf.js';

const { values } = parseArgs({ options: { duration: { type: 'string', default: '0' }, runs: { type: 'string', default: '3' }, cis: { type: 'string', default: '1000' }, out: { type: 'string' } } });
const durationMs = Number(values.duration) * 1000;
const minRuns = Math.max(1, Number(values.runs));
const cis = Math.max(20, Number(values.cis));

const CHARTS = 20;
const SERIES = 5;
const STEP = 300_000;
const POINTS = (7 * 86_400_000) / STEP; // 2,016
const END = Date.UTC(2026, 11, 7);
const RESOURCES = [
  { name: 'CPU 使用率', unit: '%' },
  { name: '内存使用率', unit: '%' },
  { name: '磁盘使用率', unit: '%' },
  { name: '网络入流量', unit: 'Mbit/s' },
];

const ciName = (i: number) => `${['web', 'app', 'db', 'cache', 'mq'][i % 5]}-${String(i).padStart(4, '0')}`;
const tone = (i: number): DocumentTone => (i % 17 === 0 ? 'danger' : i % 7 === 0 ? 'warning' : 'normal');

/** A smooth daily wave with noise, different per CI (deterministic). */
function series(ci: number, resource: number): TimeSeries {
  const base = 20 + ((ci * 37 + resource * 11) % 50);
  let seed = ci * 7919 + resource * 104_729 + 1;
  const noise = () => ((seed = (seed * 16_807) % 2_147_483_647) / 2_147_483_647 - 0.5) * 6;
  return {
    name: ciName(ci),
    points: Array.from({ length: POINTS }, (_, i) => {
      const t = END - (POINTS - i) * STEP;
      return [t, Math.max(0, Math.min(100, base + 15 * Math.sin((2 * Math.PI * (t % 86_400_000)) / 86_400_000) + noise()))] as const;
    }),
  };
}

const seriesByChart = Array.from({ length: CHARTS }, (_, c) => Array.from({ length: SERIES }, (_, k) => series((c * SERIES + k) % cis, c % RESOURCES.length)));

/** The 20 charts, drawn together as a report would (ECharts on the event loop, resvg on libuv's pool). */
function charts(): Promise<DocumentBlock[]> {
  return Promise.all(
    seriesByChart.map((series, c) => {
      const resource = RESOURCES[c % RESOURCES.length]!;
      return timeSeriesChart({
        title: `${resource.name}（近 7 天）· 第 ${c + 1} 组`,
        unit: resource.unit,
        series,
        timeZone: 'Asia/Shanghai',
        caption: `图 ${c + 1} ${resource.name}趋势（第 ${c + 1} 组配置项）`,
        ...(resource.unit === '%' ? { min: 0, max: 100 } : {}),
      });
    }),
  );
}

function document(chartBlocks: readonly DocumentBlock[]): WrittenDocument {
  const paragraph = '本期对全部生产配置项的 CPU、内存、磁盘与网络使用情况进行了分析，按 P95、峰值与趋势判断容量风险，并给出处置建议。';
  const rows = Array.from({ length: cis }, (_, i) => [
    ciName(i),
    ['Web 服务器', '应用服务器', '数据库', '缓存', '消息队列'][i % 5]!,
    `${(30 + ((i * 13) % 60)).toFixed(1)}%`,
    `${(40 + ((i * 7) % 55)).toFixed(1)}%`,
    `${(20 + ((i * 29) % 75)).toFixed(1)}%`,
    tone(i) === 'danger' ? '需扩容：P95 超过阈值' : tone(i) === 'warning' ? '关注' : '正常',
  ]);
  const busiest = rows.slice(0, 100).map((r, i) => [...r.slice(0, 3), `${(i % 24).toString().padStart(2, '0')}:00`, `${1 + (i % 9)} 次`]);
  return {
    title: '资源使用率分析报告（2026 年第 49 周）',
    facts: [
      ['单位', '市数据中心运维部'],
      ['数据区间', '2026-11-30 00:00 — 2026-12-07 00:00'],
      ['配置项', `${cis} 个`],
      ['版本', 'V1.0'],
    ],
    sections: [
      {
        heading: '一、概述',
        blocks: [
          { kind: 'paragraph', text: paragraph.repeat(3) },
          {
            kind: 'paragraph',
            text: `共 ${cis} 个配置项，其中 ${rows.filter((_, i) => tone(i) === 'danger').length} 个需扩容。执行 yunwei report --week 49 可重新生成本报告。`,
            runs: [
              { text: `共 ${cis} 个配置项，其中 ` },
              { text: `${rows.filter((_, i) => tone(i) === 'danger').length} 个需扩容`, bold: true },
              { text: '。执行 ' },
              { text: 'yunwei report --week 49', code: true },
              { text: ' 可重新生成本报告。' },
            ],
          },
          { kind: 'list', ordered: true, items: ['核对容量规划', '复核告警阈值', '报分管领导审批'] },
        ],
      },
      {
        heading: '二、趋势',
        blocks: [{ kind: 'paragraph', text: '以下各图为每组配置项近 7 天的使用率曲线（北京时间）。' }],
        sections: RESOURCES.map((resource, r) => ({
          heading: `2.${r + 1} ${resource.name}`,
          blocks: chartBlocks.filter((_, c) => c % RESOURCES.length === r).flatMap((chart, k): DocumentBlock[] => [{ kind: 'heading', level: 3, text: `2.${r + 1}.${k + 1} 第 ${k * RESOURCES.length + r + 1} 组` }, chart]),
        })),
      },
      {
        heading: '三、明细',
        blocks: [{ kind: 'table', header: ['配置项', '类别', 'CPU P95', '内存 P95', '磁盘', '结论'], rows, tones: rows.map((_, i) => tone(i)) }],
        sections: [{ heading: '3.1 最繁忙的配置项', blocks: [{ kind: 'table', header: ['配置项', '类别', 'CPU P95', '高峰时段', '告警'], rows: busiest }] }],
      },
      {
        heading: '四、建议',
        blocks: [
          { kind: 'paragraph', text: paragraph.repeat(2), tone: 'warning' },
          { kind: 'code', text: '# 扩容后复核\nyunwei report --week 50 --scope 生产系统\n    --format pdf' },
        ],
      },
    ],
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number) => Math.round(x);

/** Wall-clock and CPU time (every thread of the process: resvg renders on libuv's pool) of `work`. */
async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; cpuMs: number; value: T }> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const value = await work();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000, value };
}

const loadBefore = os.loadavg()[0]!;
const steps = { charts: [] as number[], pdf: [] as number[], docx: [] as number[], total: [] as number[] };
const cpu = { charts: [] as number[], pdf: [] as number[], docx: [] as number[], total: [] as number[] };
let pdf: Buffer = Buffer.alloc(0);
let docx: Buffer = Buffer.alloc(0);
const until = performance.now() + durationMs;
while (steps.total.length < minRuns || performance.now() < until) {
  const c = await timed(charts);
  const doc = document(c.value);
  const p = await timed(() => renderPdf(doc));
  const d = await timed(() => renderDocx(doc));
  steps.charts.push(c.ms);
  steps.pdf.push(p.ms);
  steps.docx.push(d.ms);
  steps.total.push(c.ms + p.ms + d.ms);
  cpu.charts.push(c.cpuMs);
  cpu.pdf.push(p.cpuMs);
  cpu.docx.push(d.cpuMs);
  cpu.total.push(c.cpuMs + p.cpuMs + d.cpuMs);
  pdf = p.value;
  docx = d.value;
}
if (values.out) {
  writeFileSync(path.join(values.out, 'report.pdf'), pdf);
  writeFileSync(path.join(values.out, 'report.docx'), docx);
}
// Page objects are written uncompressed by PDFKit: "/Type /Page" (not "/Pages") once per page.
const pages = pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g)?.length ?? 0;
const stat = (key: keyof typeof steps) => ({ medianMs: round(median(steps[key])), maxMs: round(Math.max(...steps[key])), cpuMedianMs: round(median(cpu[key])) });

console.log(
  JSON.stringify({
    bench: 'report',
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, loadavg1Before: Math.round(loadBefore * 10) / 10, loadavg1After: Math.round(os.loadavg()[0]! * 10) / 10 },
    setup: { cis, charts: CHARTS, seriesPerChart: SERIES, pointsPerSeries: POINTS, tableRows: cis + 100, runs: steps.total.length },
    charts: stat('charts'),
    pdf: { pages, bytes: pdf.length, ...stat('pdf') },
    docx: { bytes: docx.length, ...stat('docx') },
    total: stat('total'),
    rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
  }),
);
