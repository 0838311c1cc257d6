import type { MetricPush } from '@yunwei/contracts/monitoring';
import { invalidField } from '../../platform/errors.js';
import type { Exposition } from './exposition.js';
import type { RemoteSeries } from './remote-write.js';
import { checkSample, dropReason, isRefusal, seriesRef, type DropReason, type PreparedSample, type SeriesRef } from './series.js';

/**
 * Valid series of the JSON push API by metric + labels as sent (the memo key below). Senders repeat
 * their series in every request: canonicalise each distinct label set once per process, not once per
 * request. Pure, so shared by every app in the process; dropped whole beyond PUSH_REFS_MAX.
 */
const pushRefs = new Map<string, SeriesRef>();
const PUSH_REFS_MAX = 200_000;

/** Samples of the JSON push API: all valid, or a 400 naming the first bad field. */
export function pushSamples(body: MetricPush, now: number): PreparedSample[] {
  const out: PreparedSample[] = new Array(body.samples.length);
  const memo = pushRefs;
  for (let i = 0; i < body.samples.length; i++) {
    const s = body.samples[i]!;
    const labels = s.labels ?? {};
    const memoKey = `${s.metric}\u0000${JSON.stringify(labels)}`;
    let ref = memo.get(memoKey);
    if (!ref) {
      const r = seriesRef(s.metric, labels);
      if (isRefusal(r)) {
        throw invalidField(`body.samples.${i}.${r.at}`, r.message);
      }
      ref = r;
      if (memo.size >= PUSH_REFS_MAX) {
        memo.clear();
      }
      memo.set(memoKey, ref);
    }
    const ts = s.ts ?? now;
    const bad = checkSample(ts, s.value, now);
    if (bad) {
      throw invalidField(`body.samples.${i}.${bad.at}`, bad.message);
    }
    out[i] = { series: ref, ts, value: s.value };
  }
  return out;
}

export interface Converted {
  samples: PreparedSample[];
  /** Samples not stored: invalid names or labels, NaN/±Inf values (Prometheus staleness markers are NaN), bad times. */
  dropped: number;
  /** How many for each reason (counted in `/metrics`). */
  byReason: Partial<Record<DropReason, number>>;
  /** Why, for the first few (logs and scrape status). */
  reasons: string[];
}

function note(c: Converted, reason: DropReason, why: string, count = 1): void {
  c.dropped += count;
  c.byReason[reason] = (c.byReason[reason] ?? 0) + count;
  if (c.reasons.length < 5) {
    c.reasons.push(why);
  }
}

/** A remote-write series' labels, validated: the series, or why its samples are dropped. */
type RemoteRef = SeriesRef | { refused: string };

function remoteRef(s: RemoteSeries): RemoteRef {
  const name = s.labels.find(([k]) => k === '__name__')?.[1] ?? '';
  const ref = seriesRef(
    name,
    s.labels.filter(([k]) => k !== '__name__'),
  );
  return isRefusal(ref) ? { refused: `${name || '(no __name__)'}: ${ref.at} ${ref.message}` } : ref;
}

/**
 * Validated series by the raw bytes of their remote-write labels (`RemoteSeries.labelKey`). Senders
 * repeat the same series in every request: validation and canonicalisation then run once per series,
 * not once per request. Pure (the same bytes always give the same answer), so one cache serves every
 * app in the process; dropped whole when it outgrows `max`.
 */
export class RemoteRefCache {
  readonly #refs = new Map<string, RemoteRef>();
  constructor(private readonly max = 200_000) {}

  /** For `decodeRemoteWrite`: labels of known keys need not be decoded. */
  readonly isKnown = (labelKey: string): boolean => this.#refs.has(labelKey);

  refOf(s: RemoteSeries): RemoteRef {
    if (s.labelKey === undefined) {
      return remoteRef(s);
    }
    let ref = this.#refs.get(s.labelKey);
    if (ref === undefined) {
      ref = remoteRef(s);
      if (this.#refs.size >= this.max) {
        this.#refs.clear();
      }
      this.#refs.set(s.labelKey, ref);
    }
    return ref;
  }
}

/** Samples of a remote-write request. Invalid ones are dropped (a 4xx would make Prometheus drop the whole batch). */
export function remoteSamples(series: readonly RemoteSeries[], now: number, refs?: RemoteRefCache): Converted {
  const c: Converted = { samples: [], dropped: 0, byReason: {}, reasons: [] };
  for (const s of series) {
    if (s.histograms) {
      note(c, 'native_histogram', 'native histograms are not stored', s.histograms);
    }
    if (s.samples.length === 0) {
      continue;
    }
    const ref = refs ? refs.refOf(s) : remoteRef(s);
    if ('refused' in ref) {
      note(c, 'invalid_labels', ref.refused, s.samples.length);
      continue;
    }
    for (const p of s.samples) {
      const bad = checkSample(p.ts, p.value, now);
      if (bad) {
        note(c, dropReason(bad), `${ref.metric}: ${bad.at} ${bad.message}`);
      } else {
        c.samples.push({ series: ref, ts: p.ts, value: p.value });
      }
    }
  }
  return c;
}

/**
 * Samples of a scrape. Labels: the exposed ones, then the target's (job, instance and its configured
 * labels) — which win; a clashing exposed label is kept as `exported_<name>` (Prometheus' honor_labels: false).
 */
export function scrapedSamples(exposition: Exposition, targetLabels: Readonly<Record<string, string>>, scrapeTs: number, now: number): Converted {
  const c: Converted = { samples: [], dropped: 0, byReason: {}, reasons: [] };
  const memo = new Map<string, SeriesRef | string>();
  for (const s of exposition.samples) {
    const memoKey = `${s.metric}\u0000${s.labels.map(([k, v]) => `${k}\u0001${v}`).join('\u0002')}`;
    let ref = memo.get(memoKey);
    if (ref === undefined) {
      const labels: Record<string, string> = {};
      for (const [k, v] of s.labels) {
        labels[k in targetLabels ? `exported_${k}` : k] = v;
      }
      Object.assign(labels, targetLabels);
      const r = seriesRef(s.metric, labels);
      ref = isRefusal(r) ? `${s.metric}: ${r.at} ${r.message}` : r;
      memo.set(memoKey, ref);
    }
    if (typeof ref === 'string') {
      note(c, 'invalid_labels', ref);
      continue;
    }
    const ts = s.ts ?? scrapeTs;
    const bad = checkSample(ts, s.value, now);
    if (bad) {
      note(c, dropReason(bad), `${s.metric}: ${bad.at} ${bad.message}`);
      continue;
    }
    c.samples.push({ series: ref, ts, value: s.value });
  }
  return c;
}
