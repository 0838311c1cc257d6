// `npm run bench -- pdf [--duration <s>] [--rows <n>]`
//
// Renders one Chinese WrittenDocument of about ten A4 pages (paragraphs, lists, a table of `--rows`
// rows with tones) as PDF and as Word, in the same process: the first PDF (which opens the CJK font
// files) on its own, then both formats alternately for `--duration` seconds (at least 5 times each).
// Reports the median and max time per file, the file sizes and the PDF's page count. Prints one JSON line.
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { DocumentTone, WrittenDocument } from '../packages/contracts/src/documents.js';
import { renderDocx } from '../apps/server/src/platform/documents/docx.js';
import { renderPdf } from '../apps/server/src/platform/documents/pdf.js';

const { values } = parseArgs({ options: { duration: { type: 'string', default: '10' }, rows: { type: 'string', default: '220' } } });
const durationMs = Number(values.duration) * 1000;
const rows = Number(values.rows);

function document(): WrittenDocument {
  const paragraph = '本期对全部生产主机的 CPU、内存与文件系统使用率进行了分析，按 P95、峰值与趋势判断容量风险，并给出处置建议。';
  const tone = (i: number): DocumentTone => (i % 11 === 0 ? 'danger' : i % 7 === 0 ? 'warning' : 'normal');
  return {
    title: '资源使用率分析报告',
    facts: [
      ['单位', '市数据中心运维部'],
      ['数据区间', '2026-11-30 00:00 — 2026-12-07 00:00'],
      ['版本', 'V1.0'],
      ['文档编号', 'YW-RPT-2026-0012'],
    ],
    sections: [
      { heading: '一、概述', blocks: [{ kind: 'paragraph', text: paragraph.repeat(6) }, { kind: 'list', items: ['核对容量规划', '复核告警阈值', '报分管领导审批'] }] },
      {
        heading: '二、明细',
        blocks: [
          {
            kind: 'table',
            header: ['配置项', '资源', '平均', 'P95', '峰值', '结论'],
            rows: Array.from({ length: rows }, (_, i) => [`web-${String(i).padStart(3, '0')}`, 'CPU 使用率', `${(30 + (i % 40)).toFixed(1)}%`, `${(50 + (i % 45)).toFixed(1)}%`, `${(60 + (i % 39)).toFixed(1)}%`, tone(i) === 'danger' ? '需扩容：增加 CPU 核数或迁移负载' : tone(i) === 'warning' ? '关注' : '正常']),
            tones: Array.from({ length: rows }, (_, i) => tone(i)),
          },
        ],
        sections: [{ heading: '2.1 文件系统', blocks: [{ kind: 'paragraph', text: paragraph.repeat(3) }] }],
      },
      { heading: '三、建议', blocks: [{ kind: 'paragraph', text: paragraph.repeat(4), tone: 'warning' }] },
    ],
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number) => Math.round(x * 10) / 10;

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

const doc = document();
const first = await timed(() => renderPdf(doc));
const pdfMs: number[] = [];
const docxMs: number[] = [];
let pdf = first.value;
let docx: Buffer = Buffer.alloc(0);
const until = performance.now() + durationMs;
while (performance.now() < until || pdfMs.length < 5) {
  const p = await timed(() => renderPdf(doc));
  pdfMs.push(p.ms);
  pdf = p.value;
  const d = await timed(() => renderDocx(doc));
  docxMs.push(d.ms);
  docx = d.value;
}
// Page objects are written uncompressed by PDFKit: "/Type /Page" (not "/Pages") once per page.
const pages = pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g)?.length ?? 0;

console.log(
  JSON.stringify({
    bench: 'pdf',
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, loadavg1: round(os.loadavg()[0]!) },
    setup: { tableRows: rows, renders: pdfMs.length },
    pdf: { pages, bytes: pdf.length, firstMs: round(first.ms), medianMs: round(median(pdfMs)), maxMs: round(Math.max(...pdfMs)) },
    docx: { bytes: docx.length, medianMs: round(median(docxMs)), maxMs: round(Math.max(...docxMs)) },
    rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
  }),
);
