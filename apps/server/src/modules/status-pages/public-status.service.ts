import { SLUG_PATTERN, STATUS_PAGE_LIMITS, type PublicComponent, type PublicNotice, type PublicStatusPage } from '@yunwei/contracts/status-pages';
import { AppError } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { activeWindows } from '../alerting/dispatch-suppression.js';
import { ImpactService } from '../cmdb/impact.service.js';
import { monitoringOf } from '../monitoring/runtime.js';
import {
  checkDays,
  checkState,
  checkUptime,
  ciDays,
  ciState,
  ciUptime,
  DAY_MS,
  type FiringSpan,
  lastDays,
  noticePhase,
  noticeState,
  overallState,
  percent,
  type UpBucket,
} from './status-model.js';
import { type PageRow, StatusPagesRepository } from './status-pages.repository.js';

const HOUR_MS = 3_600_000;
/** A published page's answer is reused this long (anonymous readers cost a few queries, not one each). */
export const PUBLIC_CACHE_MS = 10_000;
/** Ended notices stay on the page this long. */
const ENDED_NOTICES_MS = 30 * DAY_MS;
const MAX_NOTICES = 50;
const SLUG = new RegExp(SLUG_PATTERN);

/** Unknown and unpublished slugs get this very answer: nobody can tell which slugs exist. */
const notFound = () => new AppError('YW_STATUS_PAGE_NOT_FOUND');

/**
 * What a status page tells anyone: computed from the chosen components only (see status-model.ts for
 * the rules), with names the administrator chose. Nothing else leaves: no ids but the slug, no check
 * targets or messages, no host names, labels, alert or window names, no notice authors.
 */
export class PublicStatusService {
  readonly #repo: StatusPagesRepository;
  readonly #impact: ImpactService;
  readonly #cache = new Map<string, { at: number; page: PublicStatusPage }>();

  constructor(
    private readonly ctx: ModuleContext,
    private readonly now: () => number = Date.now,
  ) {
    this.#repo = new StatusPagesRepository(ctx.db);
    this.#impact = new ImpactService(ctx);
  }

  /** A published page by its slug (cached briefly; only published pages are, so the cache stays small). */
  async bySlug(slug: string): Promise<PublicStatusPage> {
    if (slug.length > STATUS_PAGE_LIMITS.slugMax || !SLUG.test(slug)) {
      throw notFound();
    }
    const now = this.now();
    const hit = this.#cache.get(slug);
    if (hit && now - hit.at < PUBLIC_CACHE_MS) {
      return hit.page;
    }
    const row = await this.#repo.findPublished(slug);
    if (!row) {
      this.#cache.delete(slug);
      throw notFound();
    }
    const page = await this.render(row);
    this.#cache.set(slug, { at: now, page });
    return page;
  }

  /** Forgets cached answers (a page, its components or notices changed). */
  forget(): void {
    this.#cache.clear();
  }

  /** The public answer of a page, published or not (the administrators' preview uses it too). */
  async render(row: PageRow): Promise<PublicStatusPage> {
    const now = this.now();
    const timeZone = this.ctx.config.timeZone;
    const days = lastDays(now, timeZone);
    const monthAgo = now - 30 * DAY_MS;
    const since = Math.min(days[0]!.from, monthAgo);
    const components = await this.#repo.components(row.id);
    const checkIds = components.filter((c) => c.kind === 'check').map((c) => c.ref_id);
    const ciIds = components.filter((c) => c.kind === 'ci').map((c) => c.ref_id);

    const checks = new Map((await this.#repo.checks(checkIds)).map((c) => [c.id, c]));
    const counts = await this.#repo.resultCounts(checkIds, now - DAY_MS);
    const buckets = await this.#checkBuckets(checkIds, since, now);
    const cis = new Map((await this.#repo.cis(ciIds)).map((c) => [c.id, c]));
    const spans = new Map<string, FiringSpan[]>();
    const worstOpen = new Map<string, 'warning' | 'critical'>();
    for (const a of await this.#repo.firedAlerts(ciIds, since)) {
      const severity = a.severity === 'critical' ? 'critical' : 'warning';
      spans.set(a.ci_id, [...(spans.get(a.ci_id) ?? []), { from: a.firing_at, to: a.resolved_at ?? now, severity }]);
      if ((a.state === 'firing' || a.state === 'acknowledged') && worstOpen.get(a.ci_id) !== 'critical') {
        worstOpen.set(a.ci_id, severity);
      }
    }
    const covered = new Set((await activeWindows(this.ctx.db, now, () => this.#impact.graph())).flatMap((w) => [...w.cis]));
    // A window over the business system covers the whole page, whatever each component relies on.
    const pageCovered = covered.has(row.business_ci_id);

    const shown: PublicComponent[] = components.map((c) => {
      if (c.kind === 'check') {
        const check = checks.get(c.ref_id);
        const count = counts.get(c.ref_id);
        const own = buckets.get(c.ref_id) ?? [];
        const up = check && check.enabled === 1 && check.up !== null ? check.up === 1 : null;
        const ciId = check?.ci_id ?? null;
        return {
          name: c.display_name,
          state: checkState({ up, inMaintenance: pageCovered || (ciId !== null && covered.has(ciId)) }),
          uptime24h: count && count.total ? percent(count.up / count.total) : null,
          uptime30d: checkUptime(own, monthAgo, now + 1),
          days: checkDays(own, days),
        };
      }
      const ci = cis.get(c.ref_id);
      if (!ci) {
        return { name: c.display_name, state: 'unknown', uptime24h: null, uptime30d: null, days: checkDays([], days) };
      }
      const own = spans.get(c.ref_id) ?? [];
      return {
        name: c.display_name,
        state: ciState({ worstOpen: worstOpen.get(c.ref_id) ?? null, inMaintenance: pageCovered || covered.has(c.ref_id) }),
        uptime24h: ciUptime(own, ci.created_at, now - DAY_MS, now),
        uptime30d: ciUptime(own, ci.created_at, monthAgo, now),
        days: ciDays(own, ci.created_at, days),
      };
    });

    const notices = await this.#notices(row.id, now);
    const active = notices.filter((n) => n.phase === 'active').map((n) => noticeState(n.kind, n.severity));
    return {
      slug: row.slug,
      title: { zh: row.title_zh, en: row.title_en || row.title_zh },
      description: { zh: row.description_zh, en: row.description_en || row.description_zh },
      state: overallState(
        shown.map((s) => s.state),
        active,
      ),
      at: now,
      timeZone,
      components: shown,
      notices,
    };
  }

  /** Active and scheduled notices, then those ended in the last 30 days; newest first in each. */
  async #notices(pageId: string, now: number): Promise<PublicNotice[]> {
    const order = { active: 0, scheduled: 1, ended: 2 } as const;
    return (await this.#repo.notices(pageId))
      .map((n) => {
        const startsAt = Number(n.starts_at);
        const endsAt = n.ends_at === null ? null : Number(n.ends_at);
        return { kind: n.kind, severity: n.severity, phase: noticePhase(startsAt, endsAt, now), title: n.title, body: n.body, startsAt, endsAt };
      })
      .filter((n) => n.phase !== 'ended' || n.endsAt! >= now - ENDED_NOTICES_MS)
      .sort((a, b) => order[a.phase] - order[b.phase] || b.startsAt - a.startsAt)
      .slice(0, MAX_NOTICES);
  }

  /**
   * Hourly sums of each check's `check_up` samples (one per run: 1 UP, 0 DOWN) since `since`, from the
   * metrics store: the result history keeps 7 days, the store's rollups much longer. A check whose
   * labels changed (moved to another CI) has several series; their buckets add up.
   */
  async #checkBuckets(checkIds: readonly string[], since: number, now: number): Promise<Map<string, UpBucket[]>> {
    const out = new Map<string, UpBucket[]>();
    if (!checkIds.length) {
      return out;
    }
    const queries = monitoringOf(this.ctx).queries;
    // Check ids are UUIDs (hex and hyphens): nothing to escape in the regular expression.
    const series = await queries.select(`check_up{check=~"${checkIds.join('|')}"}`, 'components');
    if (!series.length) {
      return out;
    }
    const grid = Math.floor(since / HOUR_MS) * HOUR_MS;
    const buckets = await queries.buckets(
      series.map((s) => s.id),
      '1h',
      grid,
      now,
      HOUR_MS,
    );
    const merged = new Map<string, Map<number, UpBucket>>();
    for (const s of series) {
      const check = s.labels.check!;
      const byTs = merged.get(check) ?? new Map<number, UpBucket>();
      merged.set(check, byTs);
      for (const b of buckets.get(s.id) ?? []) {
        const into = byTs.get(b.ts) ?? { ts: b.ts, sum: 0, count: 0 };
        into.sum += b.sum;
        into.count += b.count;
        byTs.set(b.ts, into);
      }
    }
    for (const [check, byTs] of merged) {
      out.set(check, [...byTs.values()]);
    }
    return out;
  }
}
