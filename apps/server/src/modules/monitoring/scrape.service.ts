import type { FastifyBaseLogger } from 'fastify';
import { uuidv7 } from 'uuidv7';
import type { ScrapeResult, ScrapeTarget, ScrapeTargetCreate, ScrapeTargetUpdate } from '@yunwei/contracts/monitoring';
import { fromJson, isUniqueViolation, toJson } from '../../db/dialect.js';
import type { Actor } from '../../platform/actor.js';
import { AppError, invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { guardedRequest } from '../../platform/net/guarded-http.js';
import { DEFAULT_OUTBOUND, outboundPolicyOf, type OutboundGuard } from '../../platform/net/outbound-policy.js';
import { ExpositionError, parseExposition } from './exposition.js';
import { reportDropped } from './ingest-guard.js';
import { scrapedSamples } from './ingest-input.js';
import type { IngestService } from './ingest.service.js';
import type { ScrapeTargetTable } from './monitoring.tables.js';
import { checkLabelName, checkLabelValue, seriesRef, type PreparedSample, type SeriesRef } from './series.js';

export type ScrapeTargetRow = ScrapeTargetTable;

/** The most an exporter may answer with (node_exporter serves ~100 KiB). */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

function targetView(row: ScrapeTargetRow): ScrapeTarget {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    intervalSeconds: row.interval_s,
    timeoutMs: row.timeout_ms,
    labels: fromJson<Record<string, string>>(row.labels),
    enabled: row.enabled === 1,
    lastScrapeAt: row.last_scrape_at === null ? null : Number(row.last_scrape_at),
    lastDurationMs: row.last_duration_ms,
    lastUp: row.last_up === null ? null : row.last_up === 1,
    lastError: row.last_error,
    lastSamples: row.last_samples,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/** The labels every series of a target carries: job (the target's name), instance (host:port), its own labels. */
export function targetLabels(row: Pick<ScrapeTargetRow, 'name' | 'url' | 'labels'>): Record<string, string> {
  return { job: row.name, instance: new URL(row.url).host, ...fromJson<Record<string, string>>(row.labels) };
}

/**
 * Fetches an exporter's page within `timeoutMs` (connect, headers and body), at most MAX_BODY_BYTES.
 * Every connection (redirects too) goes through `outbound`, the outbound network policy of scrapes.
 */
export async function fetchExposition(url: string, timeoutMs: number, stop?: AbortSignal, outbound: OutboundGuard = DEFAULT_OUTBOUND.guard('scrape')): Promise<string> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = stop ? AbortSignal.any([timeout, stop]) : timeout;
  try {
    const res = await guardedRequest(url, outbound, {
      signal,
      maxRedirects: 5,
      maxBodyBytes: MAX_BODY_BYTES,
      headers: { accept: 'text/plain;version=0.0.4;q=1,*/*;q=0.1', 'x-prometheus-scrape-timeout-seconds': String(timeoutMs / 1000), 'user-agent': 'yunwei-scraper' },
    });
    if (res.status < 200 || res.status >= 300) {
      throw new Error(`HTTP ${res.status} ${res.statusText}`.trim());
    }
    return res.body.toString('utf8');
  } catch (error) {
    if (timeout.aborted) {
      throw new Error(`timed out after ${timeoutMs} ms`);
    }
    if (stop?.aborted) {
      throw new Error('scrape cancelled: the server is stopping');
    }
    const code = (error as { code?: string }).code;
    const message = (error as Error).message;
    throw new Error(code && !message.includes(code) ? `${message}: ${code}` : message);
  }
}

/** Scrape targets (configuration, audited) and scraping one target (status, not audited). */
export class ScrapeService {
  constructor(
    private readonly ctx: Pick<ModuleContext, 'db' | 'audit' | 'config' | 'events'>,
    private readonly ingest: IngestService,
    private readonly log: FastifyBaseLogger,
    /** Called after a change commits: the scheduler reloads its targets. */
    private readonly onChange: () => void,
  ) {}

  async list(): Promise<ScrapeTarget[]> {
    return (await this.ctx.db.selectFrom('scrape_target').selectAll().orderBy('name').execute()).map(targetView);
  }

  async enabledRows(): Promise<ScrapeTargetRow[]> {
    return this.ctx.db.selectFrom('scrape_target').selectAll().where('enabled', '=', 1).execute();
  }

  async #row(id: string): Promise<ScrapeTargetRow> {
    const row = await this.ctx.db.selectFrom('scrape_target').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) {
      throw new AppError('YW_MONITORING_TARGET_NOT_FOUND', { id });
    }
    return row;
  }

  async get(id: string): Promise<ScrapeTarget> {
    return targetView(await this.#row(id));
  }

  async create(actor: Actor, input: ScrapeTargetCreate): Promise<ScrapeTarget> {
    const now = Date.now();
    const row: ScrapeTargetRow = {
      id: uuidv7(),
      name: input.name.trim(),
      url: normaliseUrl(input.url),
      interval_s: input.intervalSeconds ?? 30,
      timeout_ms: input.timeoutMs ?? 10_000,
      labels: toJson(checkTargetLabels(input.labels ?? {})),
      enabled: input.enabled === false ? 0 : 1,
      last_scrape_at: null,
      last_duration_ms: null,
      last_up: null,
      last_error: null,
      last_samples: null,
      created_at: now,
      updated_at: now,
    };
    checkTimeout(row, input.timeoutMs === undefined ? 'body.intervalSeconds' : 'body.timeoutMs');
    await this.#unique(row.url);
    try {
      await this.ctx.db.transaction().execute(async (trx) => {
        await trx.insertInto('scrape_target').values(row).execute();
        await this.ctx.audit.record(trx, { actor, action: 'monitoring.scrape-target.create', targetType: 'scrape_target', targetId: row.id, after: configView(row) });
      });
    } catch (error) {
      throw isUniqueViolation(error) ? new AppError('YW_MONITORING_TARGET_URL_TAKEN', { field: 'body.url' }) : error;
    }
    this.onChange();
    return targetView(row);
  }

  async update(actor: Actor, id: string, input: ScrapeTargetUpdate): Promise<ScrapeTarget> {
    const before = await this.#row(id);
    const patch = {
      name: input.name?.trim() ?? before.name,
      url: input.url === undefined ? before.url : normaliseUrl(input.url),
      interval_s: input.intervalSeconds ?? before.interval_s,
      timeout_ms: input.timeoutMs ?? before.timeout_ms,
      labels: input.labels === undefined ? before.labels : toJson(checkTargetLabels(input.labels)),
      enabled: input.enabled === undefined ? before.enabled : input.enabled ? 1 : 0,
      updated_at: Date.now(),
    };
    checkTimeout(patch, input.timeoutMs === undefined ? 'body.intervalSeconds' : 'body.timeoutMs');
    if (patch.url !== before.url) {
      await this.#unique(patch.url);
    }
    try {
      await this.ctx.db.transaction().execute(async (trx) => {
        await trx.updateTable('scrape_target').set(patch).where('id', '=', id).execute();
        await this.ctx.audit.record(trx, { actor, action: 'monitoring.scrape-target.update', targetType: 'scrape_target', targetId: id, before: configView(before), after: configView({ ...before, ...patch }) });
      });
    } catch (error) {
      throw isUniqueViolation(error) ? new AppError('YW_MONITORING_TARGET_URL_TAKEN', { field: 'body.url' }) : error;
    }
    this.onChange();
    return this.get(id);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const before = await this.#row(id);
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('scrape_target').where('id', '=', id).execute();
      await this.ctx.audit.record(trx, { actor, action: 'monitoring.scrape-target.delete', targetType: 'scrape_target', targetId: id, before: configView(before) });
    });
    this.onChange();
  }

  async scrapeNow(id: string): Promise<ScrapeResult> {
    return this.scrape(await this.#row(id));
  }

  /**
   * Scrapes one target: never throws for an unreachable, slow or broken target — that is `up` 0 with
   * the reason. Writes the samples plus `up`, `scrape_duration_seconds`, `scrape_samples_scraped` and
   * records the outcome on the target.
   */
  async scrape(target: ScrapeTargetRow, stop?: AbortSignal): Promise<ScrapeResult> {
    const started = Date.now();
    const labels = targetLabels(target);
    let samples: PreparedSample[] = [];
    let dropped = 0;
    let error: string | null = null;
    try {
      const text = await fetchExposition(target.url, target.timeout_ms, stop, outboundPolicyOf(this.ctx.config).guard('scrape'));
      const converted = scrapedSamples(parseExposition(text), labels, started, Date.now());
      samples = converted.samples;
      dropped = converted.dropped;
      reportDropped(this.ctx.events, 'scrape', converted.byReason);
      if (converted.reasons.length) {
        this.log.debug({ target: target.url, dropped, reasons: converted.reasons }, 'scrape: samples dropped');
      }
    } catch (e) {
      error = e instanceof ExpositionError ? `invalid exposition format: ${e.message}` : (e as Error).message;
    }
    const durationMs = Date.now() - started;
    const up = error === null;
    const synthetic = (metric: string, value: number): PreparedSample => ({ series: seriesRef(metric, labels) as SeriesRef, ts: started, value });
    const all = [...samples, synthetic('up', up ? 1 : 0), synthetic('scrape_duration_seconds', durationMs / 1000), synthetic('scrape_samples_scraped', samples.length + dropped)];
    try {
      await this.ingest.write(all);
    } catch (e) {
      error = `${error ? `${error}; ` : ''}samples not stored: ${(e as Error).message}`;
    }
    const result: ScrapeResult = { targetId: target.id, up, at: started, durationMs, samples: samples.length, dropped, error };
    await this.ctx.db
      .updateTable('scrape_target')
      .set({ last_scrape_at: started, last_duration_ms: durationMs, last_up: up ? 1 : 0, last_error: error?.slice(0, 1000) ?? null, last_samples: samples.length })
      .where('id', '=', target.id)
      .execute();
    return result;
  }

  async #unique(url: string): Promise<void> {
    if (await this.ctx.db.selectFrom('scrape_target').select('id').where('url', '=', url).executeTakeFirst()) {
      throw new AppError('YW_MONITORING_TARGET_URL_TAKEN', { field: 'body.url' });
    }
  }
}

/** The configuration of a target, as the audit trail records it (no run-time status). */
function configView(row: ScrapeTargetRow) {
  const { lastScrapeAt: _a, lastDurationMs: _b, lastUp: _c, lastError: _d, lastSamples: _e, ...config } = targetView(row);
  return config;
}

function normaliseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidField('body.url', { zh: '不是有效的网址', en: 'is not a valid URL' });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw invalidField('body.url', { zh: '必须是 http 或 https 地址', en: 'must be http or https' });
  }
  if (parsed.username || parsed.password) {
    throw invalidField('body.url', { zh: '不能包含用户名或密码', en: 'must not contain credentials' });
  }
  return parsed.toString();
}

function checkTargetLabels(labels: Record<string, string>): Record<string, string> {
  for (const [name, value] of Object.entries(labels)) {
    const bad = checkLabelName(name) ?? checkLabelValue(value);
    if (bad) {
      throw invalidField(`body.labels.${name}`, bad);
    }
  }
  return labels;
}

function checkTimeout(row: Pick<ScrapeTargetRow, 'interval_s' | 'timeout_ms'>, field: string): void {
  if (row.timeout_ms > row.interval_s * 1000) {
    throw invalidField(field, { zh: '超时时间不能超过执行间隔', en: 'the timeout must not exceed the interval' });
  }
}

export interface SchedulerOptions {
  tickMs?: number;
  /** Targets are re-read this often (changes made on other nodes), and at once after a change here. */
  reloadMs?: number;
  maxConcurrent?: number;
  /** Whether this node scrapes a target (its share of a cluster's targets); default all. */
  owns?: (targetId: string) => boolean;
}

/**
 * Runs scrapes on each enabled target's interval, in this process, independently of the job queue: a
 * slow target only delays itself (each scrape is bounded by its timeout, one at a time per target).
 * Started when the server listens; in a cluster each node scrapes its share (`owns`).
 */
export class ScrapeScheduler {
  #targets: ScrapeTargetRow[] = [];
  readonly #next = new Map<string, number>();
  readonly #inflight = new Map<string, Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  #loadedAt = 0;
  #tick: Promise<void> | null = null;
  #stop = new AbortController();
  readonly #opts: Required<SchedulerOptions>;

  constructor(
    private readonly scrapes: ScrapeService,
    private readonly log: FastifyBaseLogger,
    options: SchedulerOptions = {},
  ) {
    this.#opts = { tickMs: 1000, reloadMs: 15_000, maxConcurrent: 32, owns: () => true, ...options };
  }

  get running(): boolean {
    return this.#timer !== undefined;
  }

  start(): void {
    if (this.#timer) {
      return;
    }
    this.#stop = new AbortController();
    this.#loadedAt = 0;
    this.#timer = setInterval(() => this.#runTick(), this.#opts.tickMs);
    this.#timer.unref();
    this.#runTick();
  }

  #runTick(): void {
    if (!this.#tick) {
      this.#tick = this.#onTick().finally(() => (this.#tick = null));
    }
  }

  /** Re-read the targets at the next tick. */
  invalidate(): void {
    this.#loadedAt = 0;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#stop.abort();
    await this.#tick;
    await Promise.allSettled([...this.#inflight.values()]);
  }

  async #onTick(): Promise<void> {
    if (!this.#timer) {
      return;
    }
    try {
      const now = Date.now();
      if (now - this.#loadedAt >= this.#opts.reloadMs) {
        this.#targets = (await this.scrapes.enabledRows()).filter((t) => this.#opts.owns(t.id));
        this.#loadedAt = now;
        const ids = new Set(this.#targets.map((t) => t.id));
        for (const id of this.#next.keys()) {
          if (!ids.has(id)) {
            this.#next.delete(id);
          }
        }
      }
      for (const target of this.#targets) {
        const interval = target.interval_s * 1000;
        // First scrape soon, spread over a few seconds so that targets do not all fire at once.
        const due = this.#next.get(target.id) ?? now + (hashOf(target.id) % Math.min(interval, 5000));
        this.#next.set(target.id, due);
        if (now < due || this.#inflight.has(target.id) || this.#inflight.size >= this.#opts.maxConcurrent || !this.#timer) {
          continue;
        }
        this.#next.set(target.id, due + interval > now ? due + interval : now + interval);
        const run = this.scrapes
          .scrape(target, this.#stop.signal)
          .then(() => undefined)
          .catch((error: unknown) => this.log.error({ err: error, target: target.url }, 'scrape failed'))
          .finally(() => this.#inflight.delete(target.id));
        this.#inflight.set(target.id, run);
      }
    } catch (error) {
      this.log.error({ err: error }, 'scrape scheduler tick failed');
    }
  }
}

function hashOf(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) {
    h = (h * 31 + text.charCodeAt(i)) >>> 0;
  }
  return h;
}
