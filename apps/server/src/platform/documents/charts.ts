import { renderAsync } from '@resvg/resvg-js';
import * as echarts from 'echarts';
import { deflateSync } from 'node:zlib';
import type { Locale } from '@yunwei/contracts/i18n';
import { hasText, outlineText } from './chart-text.js';
import type { ImageBlock } from './images.js';
import { PDF_FONTS } from './pdf-fonts.js';

/*
 * Charts drawn on the server for written documents (a report is read in Word or on paper, where no
 * browser draws the chart): an ECharts option rendered by ECharts' server-side SVG renderer, rasterised
 * to PNG by resvg with the Noto Sans SC faces the PDFs use (from the same npm packages: nothing depends
 * on the machine's fonts, and Chinese labels render), returned as an `image` block. The PNG is drawn at
 * twice the block's CSS size so that it stays sharp in print.
 *
 * Rasterising runs on libuv's thread pool (resvg's renderAsync), off the event loop; ECharts' layout
 * itself is synchronous and quick (a few ms).
 */

export type ChartOption = echarts.EChartsOption;

/** The family name inside the Noto Sans SC files: what the chart's text asks resvg for. */
const FAMILY = 'Noto Sans SC';
const FONT_FILES = [PDF_FONTS.sans, PDF_FONTS.heading];
/** Pixels of PNG per CSS pixel of the block. */
const PIXEL_RATIO = 2;
/** Limits on what a chart may be asked to draw (a chart is read, not scrolled). */
export const CHART_LIMITS = { maxWidth: 2000, maxHeight: 2000, maxSeries: 20, maxPoints: 20_000, maxBars: 100 } as const;

export interface ChartSize {
  /** CSS pixels (the block's width and height; printed scaled down to the text width). Default 720 × 360. */
  width?: number;
  height?: number;
  /** Printed under the picture. */
  caption?: string;
  locale?: Locale;
}

const clamp = (value: number, max: number) => Math.max(1, Math.min(max, Math.round(value)));

/** The ECharts option as an SVG string (ECharts' SSR renderer: no DOM, no canvas). */
export function chartSvg(option: ChartOption, width: number, height: number, locale: Locale = 'zh-CN'): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height, locale: locale === 'en' ? 'EN' : 'ZH' });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      ...option,
      textStyle: { fontFamily: FAMILY, ...(option.textStyle as object | undefined) },
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/**
 * An SVG rasterised to PNG, `ratio` pixels per SVG pixel, its text in the Noto Sans SC faces (regular
 * and bold): outlined from the glyphs fontkit has open (chart-text.ts), or, for text in a shape the
 * outliner leaves alone, by resvg with the font files (slower: it reads them for every picture).
 */
export async function svgToPng(svg: string, ratio = PIXEL_RATIO, options: { outline?: boolean } = {}): Promise<Buffer> {
  const outlined = options.outline === false ? svg : outlineText(svg);
  const image = await renderAsync(outlined, {
    fitTo: { mode: 'zoom', value: ratio },
    background: '#ffffff',
    font: hasText(outlined)
      ? { loadSystemFonts: false, fontFiles: FONT_FILES, defaultFontFamily: FAMILY, sansSerifFamily: FAMILY, serifFamily: FAMILY, monospaceFamily: FAMILY }
      : { loadSystemFonts: false },
  });
  return opaquePng(image.width, image.height, image.pixels);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) {
    c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * RGBA pixels on an opaque background as an RGB PNG (8 bit, rows unfiltered). Without an alpha
 * channel a PDF takes the PNG's compressed data as it is, where PDFKit would decode an RGBA PNG and
 * compress its colour and alpha again (a second or so for twenty charts); the file is smaller too.
 */
export function opaquePng(width: number, height: number, rgba: Buffer): Buffer {
  const raw = Buffer.allocUnsafe((width * 3 + 1) * height);
  let o = 0;
  for (let y = 0, i = 0; y < height; y++) {
    raw[o++] = 0; // filter None: on charts (flat colours, thin lines) it compresses best and costs least
    for (let x = 0; x < width; x++, i += 4) {
      raw[o++] = rgba[i]!;
      raw[o++] = rgba[i + 1]!;
      raw[o++] = rgba[i + 2]!;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bit, RGB, deflate, adaptive filters, not interlaced
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** An ECharts option drawn as an `image` block (PNG). */
export async function chartImage(option: ChartOption, size: ChartSize = {}): Promise<ImageBlock> {
  const width = clamp(size.width ?? 720, CHART_LIMITS.maxWidth);
  const height = clamp(size.height ?? 360, CHART_LIMITS.maxHeight);
  const png = await svgToPng(chartSvg(option, width, height, size.locale));
  return { kind: 'image', mime: 'image/png', data: png.toString('base64'), width, height, ...(size.caption ? { caption: size.caption } : {}) };
}

export interface TimeSeries {
  name: string;
  /** [epoch ms, value] in time order; null for a gap. */
  points: readonly (readonly [number, number | null])[];
}

export interface TimeSeriesChart extends ChartSize {
  title: string;
  /** The unit of the values, written on the value axis ("%", "ms", "MB/s"). */
  unit: string;
  series: readonly TimeSeries[];
  /** IANA zone the times are read in (the server's YUNWEI_TIME_ZONE); default the process's zone. */
  timeZone?: string;
  /** Fixed bounds of the value axis (e.g. 0–100 for a percentage). */
  min?: number;
  max?: number;
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();
const hourOffsets = new Map<string, number>();

/** How far `zone` is ahead of UTC at `at`, in ms. */
export function zoneOffset(zone: string, at: number): number {
  // Making an Intl.DateTimeFormat costs more than using it a thousand times: one per zone.
  let format = zoneFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    zoneFormats.set(zone, format);
  }
  const parts = format.formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(at / 1000) * 1000;
}

/** The offset of `zone` during the UTC hour `at` is in (offset changes fall on whole UTC hours, even in the :30 and :45 zones). */
function hourOffset(zone: string, at: number): number {
  const hour = Math.floor(at / 3_600_000);
  const key = `${zone}@${hour}`;
  let offset = hourOffsets.get(key);
  if (offset === undefined) {
    offset = zoneOffset(zone, hour * 3_600_000);
    if (hourOffsets.size > 100_000) {
      hourOffsets.clear();
    }
    hourOffsets.set(key, offset);
  }
  return offset;
}

/**
 * Several series over time as lines, the unit on the value axis, the legend under the plot. ECharts
 * knows only UTC or the process's zone: times are shifted by `timeZone`'s offset and drawn as UTC, so
 * that the axis reads the wall-clock time of that zone.
 */
export function timeSeriesChart(input: TimeSeriesChart): Promise<ImageBlock> {
  return chartImage(timeSeriesOption(input), { width: input.width ?? 720, height: input.height ?? 360, caption: input.caption, locale: input.locale });
}

/** The ECharts option of `timeSeriesChart`. */
export function timeSeriesOption(input: TimeSeriesChart): ChartOption {
  const series = input.series.slice(0, CHART_LIMITS.maxSeries);
  const perSeries = Math.max(2, Math.floor(CHART_LIMITS.maxPoints / Math.max(1, series.length)));
  const zone = input.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const en = input.locale === 'en';
  return {
    useUTC: true,
    title: { text: input.title, left: 'center', top: 8, textStyle: { fontSize: 15, fontWeight: 'bold', color: '#1f1f1f' } },
    legend: { bottom: 6, type: 'plain', itemWidth: 18, itemHeight: 8, textStyle: { fontSize: 11 } },
    grid: { left: 56, right: 24, top: 52, bottom: series.length > 1 ? 64 : 36, containLabel: false },
    xAxis: {
      type: 'time',
      axisLabel: { fontSize: 10, color: '#595959', hideOverlap: true, formatter: { year: '{yyyy}', month: en ? '{MMM}' : '{M}月', day: '{MM}-{dd}', hour: '{HH}:{mm}', minute: '{HH}:{mm}', second: '{HH}:{mm}:{ss}', millisecond: '{HH}:{mm}:{ss}' } },
      splitLine: { show: false },
    },
    yAxis: {
      type: 'value',
      name: input.unit,
      nameTextStyle: { fontSize: 11, color: '#595959', align: 'right' },
      axisLabel: { fontSize: 10, color: '#595959' },
      splitLine: { lineStyle: { color: '#f0f0f0' } },
      ...(input.min !== undefined ? { min: input.min } : {}),
      ...(input.max !== undefined ? { max: input.max } : {}),
    },
    series: series.map((s) => ({
      type: 'line',
      name: s.name,
      showSymbol: false,
      connectNulls: false,
      lineStyle: { width: 1.5 },
      // Many more points than pixels: keep the shape (peaks included), draw fewer.
      sampling: 'lttb',
      data: s.points.slice(-perSeries).map(([t, v]) => [t + hourOffset(zone, t), v]),
    })),
  };
}

export interface TopBarChart extends ChartSize {
  title: string;
  unit: string;
  /** Largest first; the first `top` are drawn. */
  items: readonly { name: string; value: number }[];
  /** How many bars (default 10, at most 100). */
  top?: number;
  /** Bar colour (default the first palette colour). */
  color?: string;
}

/** The top N as horizontal bars, the largest on top, each labelled with its value and unit. */
export function topBarChart(input: TopBarChart): Promise<ImageBlock> {
  const bars = Math.min(input.items.length, topOf(input));
  return chartImage(topBarOption(input), { width: input.width ?? 720, height: input.height ?? 70 + 26 * Math.max(3, bars), caption: input.caption, locale: input.locale });
}

const topOf = (input: TopBarChart) => Math.max(1, Math.min(CHART_LIMITS.maxBars, input.top ?? 10));

/** The ECharts option of `topBarChart`. */
export function topBarOption(input: TopBarChart): ChartOption {
  const items = [...input.items].sort((a, b) => b.value - a.value).slice(0, topOf(input));
  // "85.2%", "120 ms": a space before a unit but the percent sign.
  const format = (v: number) => `${Number.isInteger(v) ? v : v.toFixed(1)}${!input.unit || input.unit === '%' ? '' : ' '}${input.unit}`;
  return {
    title: { text: input.title, left: 'center', top: 8, textStyle: { fontSize: 15, fontWeight: 'bold', color: '#1f1f1f' } },
    grid: { left: 16, right: 72, top: 48, bottom: 28, containLabel: true },
    xAxis: { type: 'value', name: input.unit, nameTextStyle: { fontSize: 11, color: '#595959' }, axisLabel: { fontSize: 10, color: '#595959' }, splitLine: { lineStyle: { color: '#f0f0f0' } } },
    yAxis: {
      type: 'category',
      inverse: true,
      data: items.map((i) => i.name),
      axisLabel: { fontSize: 11, color: '#262626', width: 200, overflow: 'truncate' },
      axisTick: { show: false },
    },
    series: [
      {
        type: 'bar',
        data: items.map((i) => i.value),
        barMaxWidth: 18,
        itemStyle: { color: input.color ?? '#1677ff' },
        label: { show: true, position: 'right', fontSize: 10, color: '#262626', formatter: (p: { value: unknown }) => format(Number(p.value)) },
      },
    ],
  };
}
