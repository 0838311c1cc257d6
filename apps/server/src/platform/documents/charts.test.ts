import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import type { WrittenDocument } from '@yunwei/contracts/documents';
import { hasText, outlineText } from './chart-text.js';
import { chartImage, chartSvg, svgToPng, timeSeriesChart, timeSeriesOption, topBarChart, topBarOption, zoneOffset } from './charts.js';
import type { ImageBlock } from './images.js';
import { renderPdf } from './pdf.js';
import { pdfImages, popplerAvailable } from './pdf.testing.js';

/** The PNG's pixels (RGBA), decoded by drawing it 1:1 into an SVG that resvg rasterises. */
function pixelsOf(png: Buffer): { width: number; height: number; rgba: Buffer } {
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><image width="${width}" height="${height}" href="data:image/png;base64,${png.toString('base64')}"/></svg>`;
  return { width, height, rgba: new Resvg(svg).render().pixels };
}

/** Pixels darker than `luma` in the rectangle (PNG pixels). */
function darkPixels(image: { width: number; rgba: Buffer }, box: { x0: number; y0: number; x1: number; y1: number }, luma = 100): number {
  let dark = 0;
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      const i = 4 * (y * image.width + x);
      if (0.299 * image.rgba[i]! + 0.587 * image.rgba[i + 1]! + 0.114 * image.rgba[i + 2]! < luma) {
        dark++;
      }
    }
  }
  return dark;
}

const png = (block: ImageBlock) => Buffer.from(block.data, 'base64');
const T0 = Date.UTC(2026, 11, 1);
const series = ['web-01', 'web-02', 'db-01'].map((name, k) => ({ name, points: Array.from({ length: 600 }, (_, i) => [T0 + i * 600_000, 40 + 10 * k + 8 * Math.sin(i / 30)] as const) }));

describe('charts drawn on the server', () => {
  it('rasterises a chart with a Chinese title to a PNG whose title area is inked by the CJK glyphs', async () => {
    const option = { xAxis: { type: 'category' as const, data: ['一', '二'] }, yAxis: { type: 'value' as const }, series: [{ type: 'bar' as const, data: [3, 5] }] };
    const titled = await chartImage({ ...option, title: { text: '资源使用率趋势', left: 'center', top: 8, textStyle: { fontSize: 20, color: '#000' } } }, { width: 400, height: 240 });
    const untitled = await chartImage(option, { width: 400, height: 240 });
    expect(titled).toMatchObject({ kind: 'image', mime: 'image/png', width: 400, height: 240 });
    const image = pixelsOf(png(titled));
    // Drawn at twice the CSS size, for print.
    expect([image.width, image.height]).toEqual([800, 480]);
    // Not blank: the bars and axes are there.
    expect(darkPixels(image, { x0: 0, y0: 0, x1: 800, y1: 480 }, 200)).toBeGreaterThan(800 * 480 * 0.02);
    // The title area (top 40 CSS px, middle half) holds the glyphs of 资源使用率趋势; without a title it is empty.
    const titleArea = { x0: 200, y0: 0, x1: 600, y1: 80 };
    expect(darkPixels(image, titleArea)).toBeGreaterThan(1500);
    expect(darkPixels(pixelsOf(png(untitled)), titleArea)).toBe(0);
  });

  it('outlines the text as resvg would set it with the font files: the same glyphs at the same places', async () => {
    const svg = chartSvg({ title: { text: '资源使用率趋势 CPU', left: 'center', textStyle: { fontSize: 18 } }, xAxis: { type: 'category', data: ['一月', '二月'] }, yAxis: { type: 'value', name: '%' }, series: [{ type: 'bar', data: [3, 5] }] }, 400, 240);
    const outlined = pixelsOf(await svgToPng(svg, 1));
    const typeset = pixelsOf(await svgToPng(svg, 1, { outline: false }));
    let differ = 0;
    for (let i = 0; i < outlined.rgba.length; i += 4) {
      if (Math.abs(outlined.rgba[i]! - typeset.rgba[i]!) > 96) {
        differ++;
      }
    }
    const ink = darkPixels(typeset, { x0: 0, y0: 0, x1: 400, y1: 40 }, 160);
    expect(ink).toBeGreaterThan(300);
    // Anti-aliasing aside, the pictures agree.
    expect(differ).toBeLessThan(0.01 * 400 * 240);
    expect(Math.abs(darkPixels(outlined, { x0: 0, y0: 0, x1: 400, y1: 40 }, 160) - ink)).toBeLessThan(0.1 * ink);
  }, 30_000);

  it('outlines every label of an ECharts SVG with the Noto glyphs, placed by anchor and baseline', () => {
    const svg = chartSvg(topBarOption({ title: '磁盘使用率 Top 5', unit: '%', items: [{ name: '数据库服务器', value: 91.5 }] }), 600, 200);
    expect(svg).toMatch(/<text[^>]*>磁盘使用率 Top 5<\/text>/);
    const outlined = outlineText(svg);
    expect(hasText(outlined)).toBe(false);
    expect(outlined.match(/<path d="M/g)!.length).toBeGreaterThan(svg.match(/<path /g)?.length ?? 0);
    // A centred title: its outline straddles the middle of the chart.
    const title = /<path d="(M[^"]+)"[^>]*transform="translate\(300 [\d.]+\)"/.exec(outlined);
    expect(title).not.toBeNull();
    const xs = title![1]!.match(/-?[\d.]+(?= )/g)!.map(Number);
    expect(Math.min(...xs)).toBeLessThan(-50);
    expect(Math.max(...xs)).toBeGreaterThan(50);
  });

  it('draws time series as lines with the unit on the value axis, at the wall-clock time of the zone', () => {
    const option = timeSeriesOption({ title: 'CPU 使用率', unit: '%', series, timeZone: 'Asia/Shanghai', min: 0, max: 100 }) as {
      yAxis: { name: string; min: number; max: number };
      xAxis: { type: string };
      series: { type: string; name: string; data: [number, number][] }[];
      useUTC: boolean;
    };
    expect(option.yAxis).toMatchObject({ name: '%', min: 0, max: 100 });
    expect(option.xAxis.type).toBe('time');
    expect(option.series.map((s) => [s.type, s.name])).toEqual([
      ['line', 'web-01'],
      ['line', 'web-02'],
      ['line', 'db-01'],
    ]);
    // Shanghai is UTC+8: 00:00 UTC is drawn at 08:00 on an axis read as UTC.
    expect(option.useUTC).toBe(true);
    expect(option.series[0]!.data[0]![0]).toBe(T0 + 8 * 3_600_000);
    expect(zoneOffset('Europe/Paris', Date.UTC(2026, 6, 1))).toBe(2 * 3_600_000);
    expect(zoneOffset('Europe/Paris', Date.UTC(2026, 0, 1))).toBe(3_600_000);
  });

  it('draws the top N as horizontal bars, largest first, labelled with value and unit', async () => {
    const items = Array.from({ length: 30 }, (_, i) => ({ name: `服务器-${i}`, value: (i * 37) % 100 }));
    const option = topBarOption({ title: '磁盘使用率 Top 5', unit: '%', items, top: 5 }) as {
      yAxis: { type: string; inverse: boolean; data: string[] };
      xAxis: { name: string };
      series: { type: string; data: number[]; label: { formatter: (p: { value: unknown }) => string } }[];
    };
    const top = [...items].sort((a, b) => b.value - a.value).slice(0, 5);
    expect(option.yAxis).toMatchObject({ type: 'category', inverse: true, data: top.map((i) => i.name) });
    expect(option.series[0]!.data).toEqual(top.map((i) => i.value));
    expect(option.xAxis.name).toBe('%');
    expect(option.series[0]!.label.formatter({ value: 85.25 })).toBe('85.3%');
    expect((topBarOption({ title: 't', unit: 'ms', items }) as typeof option).series[0]!.label.formatter({ value: 120 })).toBe('120 ms');
    const block = await topBarChart({ title: '磁盘使用率 Top 5', unit: '%', items, top: 5, caption: '图 2 磁盘使用率' });
    expect(block).toMatchObject({ kind: 'image', mime: 'image/png', width: 720, caption: '图 2 磁盘使用率' });
    expect(block.height).toBeLessThan(250);
  });

  it.skipIf(!popplerAvailable())('puts a chart into a PDF as a picture scaled to the text width', async () => {
    const line = await timeSeriesChart({ title: 'CPU 使用率（近 7 天）', unit: '%', series, caption: '图 1 CPU 使用率' });
    const doc: WrittenDocument = { title: '图表', facts: [], sections: [{ heading: '一、趋势', blocks: [line] }] };
    const all = await pdfImages(await renderPdf(doc));
    const images = all.filter((i) => i.type === 'image');
    expect(images).toHaveLength(1);
    expect(images[0]).toMatchObject({ width: 1440, height: 720 });
    // An opaque RGB PNG: embedded as it is, without an alpha mask.
    expect(all.some((i) => i.type === 'smask')).toBe(false);
  });
});
