import type { InspectionItem, Verdict } from '@yunwei/contracts/inspections';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { MetricsRepository } from '../monitoring/metrics.repository.js';
import { parseSelector, seriesMatches, type Matcher } from '../monitoring/selector.js';
import { DEFAULT_WINDOW_SECONDS, itemMatchers, limitText, metricVerdict, reduce } from './items.js';
import { DETAIL } from './result-detail.js';
import type { ScopeCi } from './scope.js';

export interface Evaluated {
  ciId: string;
  ciName: string;
  item: InspectionItem;
  value: number | null;
  detail: string;
  limit: string;
  verdict: Verdict;
}

interface CiSeries {
  id: number;
  metric: string;
  labels: Record<string, string>;
}

/** Labels that say which CI / agent / check a series is from: not worth repeating in a record's detail. */
const QUIET_LABELS = new Set(['ci', 'agent', 'check', 'type', 'job', 'instance']);

function seriesName(s: CiSeries): string {
  const parts = Object.entries(s.labels)
    .filter(([k]) => !QUIET_LABELS.has(k))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`);
  return parts.length ? parts.join(',') : s.metric;
}

/** Checks by name in a record's detail (`检查 首页 HTTP: 1`), read once per evaluation. */
class CheckNames {
  readonly #names = new Map<string, string | null>();

  constructor(private readonly db: Kysely<Database>) {}

  async load(ids: readonly string[]): Promise<void> {
    const wanted = [...new Set(ids.filter((id) => id && !this.#names.has(id)))];
    for (let i = 0; i < wanted.length; i += 500) {
      const chunk = wanted.slice(i, i + 500);
      const found = new Map((await this.db.selectFrom('check_definition').select(['id', 'name']).where('id', 'in', chunk).execute()).map((r) => [r.id, r.name]));
      chunk.forEach((id) => this.#names.set(id, found.get(id) ?? null));
    }
  }

  /** The check's name, else its type (a deleted check's id means nothing to the reader). */
  label(labels: Readonly<Record<string, string>>): string {
    const name = labels.check ? this.#names.get(labels.check) : null;
    return `check=${name ?? labels.type ?? '?'}`;
  }
}

const round = (v: number) => Math.round(v * 1000) / 1000;
const AVAILABILITY = parseSelector('host_hw_available');

/**
 * Evaluates a template's automatic items for each CI at `now`, from the metrics store. A CI's series
 * are those stored with its id (the `ci` label, or a mapping rule), so "selector + ci matcher" is
 * "the CI's series matching the selector". Manual items come back pending.
 */
export async function evaluate(db: Kysely<Database>, cis: readonly ScopeCi[], items: readonly InspectionItem[], now: number): Promise<Evaluated[]> {
  const repo = new MetricsRepository(db);
  const compiled = items.map((item) => ({ item, matchers: item.kind === 'manual' ? [] : itemMatchers(item) }));
  const widest = Math.max(DEFAULT_WINDOW_SECONDS, ...items.map((i) => i.windowSeconds ?? 0)) * 1000;
  const out: Evaluated[] = [];
  const checkNames = new CheckNames(db);
  for (const ci of cis) {
    const series: CiSeries[] = (await repo.seriesOfCi(ci.id, 100_000)).map((r) => ({ id: Number(r.id), metric: r.metric, labels: JSON.parse(r.labels) as Record<string, string> }));
    const pick = (matchers: readonly Matcher[]) => series.filter((s) => seriesMatches(matchers, s.metric, s.labels));
    const wanted = new Set<number>();
    for (const c of compiled) {
      if (c.item.kind === 'metric' || c.item.kind === 'check') {
        for (const s of pick(c.matchers)) {
          wanted.add(s.id);
        }
      }
    }
    const availability = pick(AVAILABILITY);
    for (const s of availability) {
      wanted.add(s.id);
    }
    // Samples of the widest window, once per CI; each item then looks at its own window.
    const samples = new Map<number, { ts: number; value: number }[]>();
    for (const r of await repo.rawSamples([...wanted], now - widest, now + 1)) {
      const list = samples.get(r.series_id) ?? [];
      list.push({ ts: r.ts, value: r.value });
      samples.set(r.series_id, list);
    }
    const valuesIn = (id: number, windowMs: number) => (samples.get(id) ?? []).filter((p) => p.ts > now - windowMs).map((p) => p.value);
    // Exposed when any reporter of the CI says so: a host re-enrolled (a new agent beside the old
    // one's series) or watched twice is judged on what is available, not on whichever series came first.
    const componentAvailable = (component: string): boolean | null => {
      const lasts = availability.filter((a) => a.labels.component === component).map((a) => reduce(valuesIn(a.id, widest), 'last'));
      const known = lasts.filter((v): v is number => v !== null);
      return known.length === 0 ? null : known.some((v) => v !== 0);
    };

    for (const { item, matchers } of compiled) {
      const base = { ciId: ci.id, ciName: ci.name, item, limit: limitText(item) };
      if (item.kind === 'manual') {
        out.push({ ...base, value: null, detail: item.guidance ?? '', verdict: 'pending' });
        continue;
      }
      if (item.kind === 'fresh') {
        const matching = pick(matchers);
        const newest = await latestSampleTs(db, matching.map((s) => s.id), now);
        if (newest === null) {
          out.push({ ...base, value: null, detail: matching.length ? DETAIL.noSample : DETAIL.noSeries, verdict: 'no_data' });
        } else {
          const age = Math.max(0, Math.round((now - newest) / 1000));
          out.push({ ...base, value: age, detail: DETAIL.lastSample(newest), verdict: age <= item.maxAgeSeconds! ? 'normal' : 'abnormal' });
        }
        continue;
      }
      if (item.availabilityComponent && componentAvailable(item.availabilityComponent) === false) {
        // The machine does not expose this component: neither a pass nor a failure.
        out.push({ ...base, value: null, detail: `host_hw_available{component="${item.availabilityComponent}"} = 0`, verdict: 'unavailable' });
        continue;
      }
      const windowMs = (item.windowSeconds ?? DEFAULT_WINDOW_SECONDS) * 1000;
      const per: { name: string; value: number }[] = [];
      const picked = pick(matchers);
      if (item.kind === 'check') {
        await checkNames.load(picked.map((s) => s.labels.check ?? ''));
      }
      for (const s of picked) {
        const v = reduce(valuesIn(s.id, windowMs), item.kind === 'check' ? 'last' : (item.reduce ?? 'last'));
        if (v !== null) {
          per.push({ name: item.kind === 'check' ? checkNames.label(s.labels) : seriesName(s), value: v });
        }
      }
      per.sort((a, b) => a.name.localeCompare(b.name));
      const operator = item.kind === 'check' ? '==' : item.operator!;
      const limit = item.kind === 'check' ? 1 : item.limit!;
      const { verdict, value } = metricVerdict(
        per.map((p) => p.value),
        operator,
        limit,
      );
      out.push({ ...base, value: value === null ? null : round(value), detail: per.map((p) => `${p.name}: ${round(p.value)}`).join('; '), verdict });
    }
  }
  return out;
}

/**
 * The newest sample time (≤ upTo) of these series, or null. One index seek per series on the
 * (series_id, ts) primary key: cheap however long the history is.
 */
export async function latestSampleTs(db: Kysely<Database>, seriesIds: readonly number[], upTo: number): Promise<number | null> {
  return new MetricsRepository(db).newestTs(seriesIds, upTo);
}
