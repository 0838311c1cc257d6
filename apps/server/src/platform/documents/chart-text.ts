import { fontOf } from './pdf-fonts.js';

/*
 * The text of an ECharts SVG turned into outlines (<path>s) drawn from the glyphs of the Noto Sans SC
 * files the PDFs embed, laid out by fontkit (kerning and all). Why: resvg reads and indexes every font
 * file it is given for every picture (its font database is per render), about a second for the two
 * 10 MB CJK faces on this machine, where the outlines cost a few milliseconds with the faces fontkit
 * has already opened for the PDFs. The picture is the same: the same glyphs of the same files.
 *
 * ECharts writes each label as one `<text>` with `text-anchor`, `dominant-baseline`, `x`/`y`, a
 * `transform` and a style (`font-size`, `font-weight`). A `<text>` in another shape (with <tspan>s)
 * is left as text; `hasText` tells the caller to rasterise with the font files then.
 */

const TEXT = /<text\b([^>]*)>([^<]*)<\/text>/g;
/** Attributes of the <text> kept on the <path> (placement and paint). */
const KEPT = ['transform', 'fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-linejoin', 'stroke-miterlimit', 'paint-order', 'opacity', 'clip-path'];

function attribute(attrs: string, name: string): string | undefined {
  return new RegExp(`(?:^|\\s)${name}="([^"]*)"`).exec(attrs)?.[1];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

const round = (x: number) => Math.round(x * 100) / 100;

type Commands = readonly { command: string; args: number[] }[];

// Glyph outlines in font units, by face and glyph id: the same digits and CJK characters recur in every chart.
const outlines = new Map<string, Commands>();

function glyphCommands(face: string, glyph: { id: number; path: { commands: Commands } }): Commands {
  const key = `${face}:${glyph.id}`;
  let commands = outlines.get(key);
  if (!commands) {
    commands = glyph.path.commands;
    if (outlines.size > 20_000) {
      outlines.clear();
    }
    outlines.set(key, commands);
  }
  return commands;
}

const SVG_COMMAND: Record<string, string> = { moveTo: 'M', lineTo: 'L', quadraticCurveTo: 'Q', bezierCurveTo: 'C', closePath: 'Z' };

/** `text` set in `face` at `size`: its width, and its path data with the baseline's start at (x, y). */
function layoutText(face: 'sans' | 'heading', text: string, size: number): { width: number; path: (x: number, y: number) => string } {
  const font = fontOf(face);
  const run = font.layout(text);
  const scale = size / font.unitsPerEm;
  let at = 0;
  const glyphs = run.glyphs.map((glyph, i) => {
    const position = run.positions[i]!;
    const placed = { commands: glyphCommands(face, glyph as unknown as { id: number; path: { commands: Commands } }), dx: at + position.xOffset * scale, dy: -position.yOffset * scale };
    at += position.xAdvance * scale;
    return placed;
  });
  return {
    width: at,
    path: (x, y) => {
      const parts: string[] = [];
      for (const g of glyphs) {
        for (const c of g.commands) {
          const args: number[] = [];
          for (let k = 0; k < c.args.length; k += 2) {
            args.push(round(x + g.dx + c.args[k]! * scale), round(y + g.dy - c.args[k + 1]! * scale));
          }
          parts.push(`${SVG_COMMAND[c.command] ?? ''}${args.join(' ')}`);
        }
      }
      return parts.join('');
    },
  };
}

/** Offset from the point ECharts gives to the alphabetic baseline, in ems, per `dominant-baseline`. */
function baselineShift(face: 'sans' | 'heading', baseline: string | undefined): number {
  const font = fontOf(face);
  const os2 = (font as unknown as { 'OS/2'?: { typoAscender: number; typoDescender: number } })['OS/2'];
  const ascender = (os2?.typoAscender ?? 880) / font.unitsPerEm;
  const descender = (os2?.typoDescender ?? -120) / font.unitsPerEm;
  switch (baseline ?? 'alphabetic') {
    case 'central':
    case 'middle':
      return (ascender + descender) / 2;
    case 'hanging':
    case 'text-before-edge':
      return ascender;
    case 'text-after-edge':
    case 'ideographic':
      return descender;
    default:
      return 0;
  }
}

/** The SVG with every plain `<text>` replaced by its outline. */
export function outlineText(svg: string): string {
  return svg.replace(TEXT, (whole, attrs: string, content: string) => {
    const text = decode(content);
    if (!text.trim()) {
      return '';
    }
    const style = attribute(attrs, 'style') ?? '';
    const size = Number(/font-size:\s*([\d.]+)px/.exec(style)?.[1] ?? attribute(attrs, 'font-size') ?? 12);
    const weight = /font-weight:\s*([a-z0-9]+)/.exec(style)?.[1] ?? attribute(attrs, 'font-weight') ?? 'normal';
    const face = /^(bold|bolder|[6-9]00)$/.test(weight) ? 'heading' : 'sans';
    const x = Number(attribute(attrs, 'x') ?? 0);
    const y = Number(attribute(attrs, 'y') ?? 0) + baselineShift(face, attribute(attrs, 'dominant-baseline')) * size;
    const laid = layoutText(face, text, size);
    const anchor = attribute(attrs, 'text-anchor') ?? 'start';
    const d = laid.path(x - (anchor === 'middle' ? laid.width / 2 : anchor === 'end' ? laid.width : 0), y);
    const kept = KEPT.map((name) => [name, attribute(attrs, name)] as const)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => ` ${name}="${value}"`)
      .join('');
    // SVG's default fill is black, as for <text>; a fill in the style wins as it would have.
    const styleFill = /(?:^|;)\s*fill:\s*([^;]+)/.exec(style)?.[1];
    return `<path d="${d}"${kept}${styleFill ? ` style="fill:${styleFill}"` : ''}/>`;
  });
}

/** True when the SVG still has text (in a shape `outlineText` leaves alone). */
export function hasText(svg: string): boolean {
  return /<text\b/.test(svg);
}
