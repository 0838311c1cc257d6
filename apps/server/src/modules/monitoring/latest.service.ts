import { LATEST_LIMITS, type CiNames, type LatestList, type LatestQuery, type LatestSeries } from '@yunwei/contracts/monitoring';
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Actor } from '../../platform/actor.js';
import { AppError, invalidField } from '../../platform/errors.js';
import { dialectOf } from '../../db/dialect.js';
import { seriesInScope } from './metric-scope.js';
import { MetricsRepository } from './metrics.repository.js';
import { likeSafe, parseSearch, searchMatches, type SearchWord } from './latest-search.js';
import type { QueryService } from './query.service.js';

/** Series read as candidates of one search (the series table, never samples). */
const MAX_CANDIDATES = 200_000;

interface Candidate {
  id: number;
  metric: string;
  labels: Record<string, string>;
  /** The canonical JSON text of the labels: the sort key after the metric. */
  labelsText: string;
  ciId: string | null;
  lastSeen: number;
}

function candidate(r: { id: number; metric: string; labels: string; ci_id: string | null; last_seen: number }): Candidate {
  return { id: Number(r.id), metric: r.metric, labels: JSON.parse(r.labels) as Record<string, string>, labelsText: r.labels, ciId: r.ci_id, lastSeen: Number(r.last_seen) };
}

function valueText(v: number): string {
  return Number.isNaN(v) ? 'NaN' : Number.isFinite(v) ? String(v) : v > 0 ? '+Inf' : '-Inf';
}

/**
 * 最新数据 (latest data): series found by name, labels and CI name within the reader's metric scope, a
 * page of them with their newest sample and CI name. Only the series table is searched: without words
 * the database scopes, counts, sorts and pages; words are narrowed in SQL by `LIKE` and decided in JS
 * (searchMatches); a selector goes through QueryService.select like every query route. Samples are read
 * for the page's series alone, one backward index seek each (`MetricsRepository.newestSamples`).
 */
export class LatestService {
  readonly #repo: MetricsRepository;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly queries: Pick<QueryService, 'select' | 'scopes'>,
  ) {
    this.#repo = new MetricsRepository(db);
  }

  async latest(actor: Actor, q: LatestQuery, now = Date.now()): Promise<LatestList> {
    const words = parseSearch(q.search ?? '');
    if (words.length > LATEST_LIMITS.searchWords) {
      throw invalidField('querystring.search', { zh: `最多 ${LATEST_LIMITS.searchWords} 个词`, en: `at most ${LATEST_LIMITS.searchWords} words` });
    }
    const offset = q.offset ?? 0;
    const limit = q.limit ?? 50;
    let page: Candidate[];
    let total: number;
    if (q.match === undefined && words.length === 0) {
      // Nothing for JS to decide: the database filters, counts, sorts and pages.
      const ciId = q.ciId ?? null;
      total = Number((await this.#where(actor, [], ciId).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      page = (await this.#ordered(actor, [], ciId).limit(limit).offset(offset).execute()).map(candidate);
    } else {
      const ciNamed = await this.#cisNamed(words);
      const found = (q.match ? await this.#selected(actor, q.match) : await this.#searched(actor, words, q.ciId ?? null)).filter(
        (c) => (q.ciId === undefined || c.ciId === q.ciId) && searchMatches(words, c, (text) => ciNamed.get(text) ?? new Set()),
      );
      total = found.length;
      page = found.slice(offset, offset + limit);
    }
    const newest = await this.#repo.newestSamples(page.map((c) => c.id));
    const names = await this.#names(page.map((c) => c.ciId).filter((id): id is string => id !== null));
    const items: LatestSeries[] = page.map((c) => {
      const sample = newest.get(c.id);
      return {
        id: c.id,
        metric: c.metric,
        labels: c.labels,
        ci: c.ciId === null ? null : { id: c.ciId, name: names.get(c.ciId) ?? null },
        ts: sample?.ts ?? null,
        value: sample && Number.isFinite(sample.value) ? sample.value : null,
        valueText: sample ? valueText(sample.value) : null,
        lastSeen: c.lastSeen,
      };
    });
    return { items, total, at: now };
  }

  /** GET /api/monitoring/ci-names: names of the asked CIs whose series the reader may see (metric scope). */
  async ciNames(actor: Actor, idsText: string): Promise<CiNames> {
    const ids = [...new Set(idsText.split(',').map((id) => id.trim()).filter(Boolean))];
    if (ids.length === 0 || ids.length > LATEST_LIMITS.ciNames) {
      throw invalidField('querystring.ids', { zh: `须列出 1 到 ${LATEST_LIMITS.ciNames} 个配置项编号`, en: `must name 1 to ${LATEST_LIMITS.ciNames} CI ids` });
    }
    const visible = await this.queries.scopes.filterFor(actor);
    const names = await this.#names(ids.filter((id) => visible === null || visible(id)));
    return { items: [...names].map(([id, name]) => ({ id, name })) };
  }

  /** Series of a selector (QueryService.select: the same matching and scope as every query route), in name order. */
  async #selected(actor: Actor, match: string): Promise<Candidate[]> {
    const series = await this.queries.select(match, 'querystring.match', MAX_CANDIDATES, await this.queries.scopes.filterFor(actor));
    const out = series.map((s) => ({ id: s.id, metric: s.metric, labels: s.labels, labelsText: JSON.stringify(s.labels), ciId: s.ciId, lastSeen: s.lastSeen }));
    return out.sort((a, b) => (a.metric === b.metric ? (a.labelsText < b.labelsText ? -1 : a.labelsText > b.labelsText ? 1 : 0) : a.metric < b.metric ? -1 : 1));
  }

  /** Series that may match the words (SQL narrows, searchMatches decides), within the reader's scope, in name order. */
  async #searched(actor: Actor, words: readonly SearchWord[], ciId: string | null): Promise<Candidate[]> {
    const rows = await this.#ordered(actor, words, ciId)
      .limit(MAX_CANDIDATES + 1)
      .execute();
    if (rows.length > MAX_CANDIDATES) {
      throw new AppError('YW_MONITORING_QUERY_TOO_LARGE', { field: 'querystring.search', candidates: MAX_CANDIDATES });
    }
    return rows.map(candidate);
  }

  /**
   * The series table narrowed to the reader's scope (the rule of MetricScopes, as SQL), a CI, and rows
   * whose text can contain each word (case-insensitive `LIKE`, only for likeSafe words: never narrower).
   */
  #where(actor: Actor, words: readonly SearchWord[], ciId: string | null) {
    // SQLite's LIKE ignores ASCII case; PostgreSQL's ILIKE folds at least as much (likeSafe words only).
    const caseless = dialectOf(this.db) === 'postgres' ? sql`ilike` : sql`like`;
    let query = this.db.selectFrom('metric_series as s').where(seriesInScope(this.queries.scopes.units(actor)));
    if (ciId !== null) {
      query = query.where('s.ci_id', '=', ciId);
    }
    for (const w of words) {
      if (w.text === '' || !likeSafe(w.text)) {
        continue;
      }
      const like = `%${w.text}%`;
      const contains = (column: 's.metric' | 's.labels' | 'c.name') => sql<SqlBool>`${sql.ref(column)} ${caseless} ${like}`;
      const ciNamed = sql<SqlBool>`s.ci_id in (select c.id from cmdb_ci c where ${contains('c.name')})`;
      query = query.where((eb) => {
        if (w.label === '__name__') {
          return contains('s.metric');
        }
        if (w.label === 'ci') {
          return eb.or([contains('s.labels'), ciNamed]);
        }
        return w.label === null ? eb.or([contains('s.metric'), contains('s.labels'), ciNamed]) : contains('s.labels');
      });
    }
    return query;
  }

  /**
   * By metric, then the labels' canonical JSON (a CI's series stay together), in the database's own
   * collation: the metric index then serves the order (PostgreSQL: an incremental sort), so the first
   * page of 100,000 series costs milliseconds instead of a full sort.
   */
  #ordered(actor: Actor, words: readonly SearchWord[], ciId: string | null) {
    return this.#where(actor, words, ciId).select(['s.id', 's.metric', 's.labels', 's.ci_id', 's.last_seen']).orderBy('s.metric').orderBy('s.labels').orderBy('s.id');
  }

  /** For each word that can match a CI name: the CIs whose name contains it, ignoring case. */
  async #cisNamed(words: readonly SearchWord[]): Promise<Map<string, Set<string>>> {
    const out = new Map<string, Set<string>>();
    for (const w of words) {
      if ((w.label !== null && w.label !== 'ci') || w.text === '' || out.has(w.text)) {
        continue;
      }
      let query = this.db.selectFrom('cmdb_ci').select(['id', 'name']);
      if (likeSafe(w.text)) {
        query = query.where(sql`lower(name)`, 'like', `%${w.text}%`);
      }
      const rows = await query.execute();
      out.set(w.text, new Set(rows.filter((r) => r.name.toLowerCase().includes(w.text)).map((r) => r.id)));
    }
    return out;
  }

  async #names(ids: readonly string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) {
      return new Map();
    }
    const rows = await this.db.selectFrom('cmdb_ci').select(['id', 'name']).where('id', 'in', unique).execute();
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}
