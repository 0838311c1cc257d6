/**
 * A diff row's block text as a reader sees it. The server compares blocks as lines of plain text in which a
 * heading reads `## 标题` and a table row `| 角色 | 职责 |` (library-body.ts `bodyLines`), so that a changed
 * level or cell is a changed line. The page shows those lines without the markers: a heading as a heading of
 * its level, a table row as its cells ("角色 · 职责"). List items (`• `, `1. `) already read as written. A
 * paragraph or code text that begins like a marker (`# 注释` in a script) arrives with a `\` in front.
 */
export type DiffBlock = { kind: 'heading'; level: number; text: string } | { kind: 'row'; cells: string[]; text: string } | { kind: 'text'; text: string };

/** Between the cells of a table row. */
export const CELL_SEPARATOR = ' · ';

/** A paragraph or code text that only looks like a heading or row line: the server put a `\` in front. */
const ESCAPED = /^\\+(#{1,6} |\| .* \|$)/s;

export function readBlock(line: string): DiffBlock {
  if (ESCAPED.test(line)) {
    return { kind: 'text', text: line.slice(1) };
  }
  const heading = /^(#{1,6}) (.*)$/s.exec(line);
  if (heading) {
    return { kind: 'heading', level: heading[1]!.length, text: heading[2]! };
  }
  if (line.length >= 4 && line.startsWith('| ') && line.endsWith(' |')) {
    const cells = line.slice(2, -2).split(' | ');
    return { kind: 'row', cells, text: cells.join(CELL_SEPARATOR) };
  }
  return { kind: 'text', text: line };
}
