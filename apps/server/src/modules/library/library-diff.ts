import { diffArrays } from 'diff';
import { LIBRARY_LIMITS, type LibraryDiffRow } from '@yunwei/contracts/library';

export interface SideBySide {
  rows: LibraryDiffRow[];
  stats: { same: number; added: number; removed: number; changed: number };
  truncated: boolean;
}

/** Beyond this many edits jsdiff gives up (bounded CPU); the answer is then "all removed, all added". */
const MAX_EDIT_LENGTH = 20_000;

/**
 * Side-by-side rows of two versions' block texts (`bodyLines`): jsdiff's array diff over the blocks, then in each
 * run of removed blocks followed by added ones, similar blocks are paired in order into `changed` rows (the rest stay removed
 * or added), so a reworded paragraph sits beside its old wording. Only blocks that still look alike (similar
 * characters) are paired: a new paragraph is never shown as the "new wording" of an unrelated removed one.
 */
export function sideBySide(left: readonly string[], right: readonly string[]): SideBySide {
  const rows: LibraryDiffRow[] = [];
  const changes = diffArrays([...left], [...right], { maxEditLength: MAX_EDIT_LENGTH }) ?? [
    { value: [...left], removed: true, added: false, count: left.length },
    { value: [...right], removed: false, added: true, count: right.length },
  ];
  let removed: string[] = [];
  const flush = (added: string[]) => {
    rows.push(...pairUp(removed, added));
    removed = [];
  };
  for (const change of changes) {
    if (change.removed) {
      removed.push(...change.value);
    } else if (change.added) {
      flush(change.value);
    } else {
      flush([]);
      for (const text of change.value) {
        rows.push({ kind: 'same', left: text, right: text });
      }
    }
  }
  flush([]);
  const stats = { same: 0, added: 0, removed: 0, changed: 0 };
  for (const row of rows) {
    stats[row.kind]++;
  }
  const truncated = rows.length > LIBRARY_LIMITS.diffRows;
  return { rows: truncated ? rows.slice(0, LIBRARY_LIMITS.diffRows) : rows, stats, truncated };
}

/** Pairs at least this alike (Dice coefficient of character bigrams) are one block changed. */
const SIMILAR = 0.3;
/** Above this many candidate pairs in one run the blocks are paired in order (bounded CPU). */
const MAX_ALIGN = 250_000;

function bigrams(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const chars = [...text.replace(/\s+/g, ' ')];
  for (let i = 0; i + 1 < chars.length; i++) {
    const g = chars[i]! + chars[i + 1]!;
    out.set(g, (out.get(g) ?? 0) + 1);
  }
  if (chars.length === 1) {
    out.set(chars[0]!, 1);
  }
  return out;
}

/** 0 (nothing in common) … 1 (the same characters in the same pairs). */
export function similarity(a: string, b: string): number {
  if (a === b) {
    return 1;
  }
  const x = bigrams(a);
  const y = bigrams(b);
  let common = 0;
  let total = 0;
  for (const n of x.values()) {total += n;}
  for (const [g, n] of y) {
    total += n;
    common += Math.min(n, x.get(g) ?? 0);
  }
  return total === 0 ? 0 : (2 * common) / total;
}

/**
 * Rows for a run of removed blocks replaced by added ones: the in-order pairing that maximises the total
 * similarity of paired blocks (pairs below SIMILAR never pair), the unpaired ones as removed / added rows.
 */
function pairUp(removed: readonly string[], added: readonly string[]): LibraryDiffRow[] {
  const n = removed.length;
  const m = added.length;
  if (n === 0 || m === 0 || n * m > MAX_ALIGN) {
    const pairs = n * m > MAX_ALIGN ? Math.min(n, m) : 0;
    return [
      ...removed.slice(0, pairs).map((left, i): LibraryDiffRow => ({ kind: 'changed', left, right: added[i]! })),
      ...removed.slice(pairs).map((left): LibraryDiffRow => ({ kind: 'removed', left, right: null })),
      ...added.slice(pairs).map((right): LibraryDiffRow => ({ kind: 'added', left: null, right })),
    ];
  }
  // score[i][j]: the best total over removed[i..] and added[j..].
  const score = Array.from({ length: n + 1 }, () => new Float64Array(m + 1));
  const sim = Array.from({ length: n }, (_, i) => Float64Array.from(added, (b) => similarity(removed[i]!, b)));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const s = sim[i]![j]!;
      score[i]![j] = Math.max(score[i + 1]![j]!, score[i]![j + 1]!, s >= SIMILAR ? s + score[i + 1]![j + 1]! : 0);
    }
  }
  const rows: LibraryDiffRow[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    const s = sim[i]![j]!;
    if (s >= SIMILAR && score[i]![j] === s + score[i + 1]![j + 1]!) {
      rows.push({ kind: 'changed', left: removed[i++]!, right: added[j++]! });
    } else if (score[i]![j] === score[i + 1]![j]) {
      rows.push({ kind: 'removed', left: removed[i++]!, right: null });
    } else {
      rows.push({ kind: 'added', left: null, right: added[j++]! });
    }
  }
  for (; i < n; i++) {rows.push({ kind: 'removed', left: removed[i]!, right: null });}
  for (; j < m; j++) {rows.push({ kind: 'added', left: null, right: added[j]! });}
  return rows;
}
