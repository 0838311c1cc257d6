import type { PreparedSample } from '../monitoring/series.js';
import { lowerBound } from './reducers.js';

/** One series the rules read, with its recent samples (sorted by ts). */
export interface TrackedSeries {
  key: string;
  metric: string;
  labels: Readonly<Record<string, string>>;
  /** The CI it is about: its `ci` label, else the store's mapping. */
  ci: string | null;
  ts: number[];
  values: number[];
  /** The newest sample ever seen (kept when the window is trimmed: absent rules need it). */
  lastTs: number;
}

/**
 * The recent samples of the series some rule selects, in memory, so an evaluation cycle is CPU over
 * arrays instead of one query per rule. Fed by every committed ingest batch; `wants` decides on
 * first sight of a series whether any rule reads it (the answer is remembered until rules change).
 */
export class SeriesWindow {
  readonly series = new Map<string, TrackedSeries>();
  readonly #ignored = new Set<string>();

  constructor(
    private readonly wants: (metric: string, labels: Readonly<Record<string, string>>) => boolean,
    private readonly onNew: (s: TrackedSeries) => void,
  ) {}

  /** Rules changed: series ignored so far may be wanted now. */
  forgetIgnored(): void {
    this.#ignored.clear();
  }

  track(key: string, metric: string, labels: Readonly<Record<string, string>>, ci: string | null): TrackedSeries {
    let s = this.series.get(key);
    if (!s) {
      s = { key, metric, labels, ci: labels.ci ?? ci, ts: [], values: [], lastTs: -Infinity };
      this.series.set(key, s);
      this.onNew(s);
    }
    return s;
  }

  add(samples: readonly PreparedSample[]): void {
    for (const { series, ts, value } of samples) {
      let s = this.series.get(series.key);
      if (!s) {
        if (this.#ignored.has(series.key)) {
          continue;
        }
        if (!this.wants(series.metric, series.labels)) {
          this.#ignored.add(series.key);
          continue;
        }
        s = this.track(series.key, series.metric, series.labels, null);
      }
      insert(s, ts, value);
    }
  }

  /** Drops samples at or before `before`, but keeps each series' newest `keep` (check rules count results, not time). */
  trim(before: number, keep = 1): void {
    for (const s of this.series.values()) {
      const cut = Math.min(lowerBound(s.ts, before + 1), s.ts.length - keep);
      // In steps, not every cycle: a splice per series per cycle is mostly garbage for the collector
      // (reducers skip the old head by binary search anyway).
      if (cut > 0 && cut * 4 >= s.ts.length) {
        s.ts.splice(0, cut);
        s.values.splice(0, cut);
      }
    }
  }
}

/** Appends in order (the usual case) or inserts; a second value for the same ts replaces the first. */
export function insert(s: TrackedSeries, ts: number, value: number): void {
  const n = s.ts.length;
  if (n === 0 || ts > s.ts[n - 1]!) {
    s.ts.push(ts);
    s.values.push(value);
  } else {
    const i = lowerBound(s.ts, ts);
    if (s.ts[i] === ts) {
      s.values[i] = value;
    } else {
      s.ts.splice(i, 0, ts);
      s.values.splice(i, 0, value);
    }
  }
  if (ts > s.lastTs) {
    s.lastTs = ts;
  }
}
