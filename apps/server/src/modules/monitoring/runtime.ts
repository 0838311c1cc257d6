import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { offloadedSqlite } from '../../db/worker-sqlite-dialect.js';
import type { ModuleContext } from '../../platform/module.js';
import type { CompiledCiRule } from './ci-mapping.js';
import { CiRuleService, loadCompiledRules } from './ci-rules.service.js';
import { IngestGuard } from './ingest-guard.js';
import { IngestService } from './ingest.service.js';
import { MetricScopes } from './metric-scope.js';
import { QueryService } from './query.service.js';
import { RollupService } from './rollup.service.js';
import { ScrapeScheduler, ScrapeService } from './scrape.service.js';
import { PeerSamples } from './peer-samples.js';
import { MonitoringSettingsService } from './settings.service.js';
import { UtilisationReportService } from './utilisation-report.service.js';

/**
 * The monitoring module's long-lived parts for one app: the batching ingest writer (with its series
 * cache), the scrape scheduler, and the mapping rules ingestion applies. Routes, jobs and start-up
 * share them through `monitoringOf(ctx)`.
 */
/** Told to the other nodes when the CI mapping rules change. */
const CI_RULES_CHANGED = 'monitoring.ci-rules.changed';

export class MonitoringRuntime {
  rules: readonly CompiledCiRule[] = [];
  readonly settings: MonitoringSettingsService;
  readonly ingest: IngestService;
  /** Samples between the nodes of a cluster (for the evaluator and the live sockets). */
  readonly peers: PeerSamples;
  /** Data scope and new-series budget of writers, checked before their samples are queued. */
  readonly guard: IngestGuard;
  readonly scrapes: ScrapeService;
  readonly scheduler: ScrapeScheduler;
  readonly rollups: RollupService;
  readonly queries: QueryService;
  readonly reports: UtilisationReportService;
  readonly ciRules: CiRuleService;
  /**
   * File SQLite: a connection on a worker thread for the rollups and retention, whose long statements
   * would otherwise stop the event loop (better-sqlite3 is synchronous). Null elsewhere.
   */
  readonly #offloaded: Kysely<Database> | null;

  constructor(private readonly ctx: ModuleContext) {
    this.settings = new MonitoringSettingsService(ctx);
    this.ingest = new IngestService(ctx.db, ctx.log, () => this.rules);
    this.peers = new PeerSamples(ctx.cluster, this.ingest, ctx.log);
    this.scrapes = new ScrapeService(ctx, this.ingest, ctx.log, () => this.scheduler.invalidate());
    this.scheduler = new ScrapeScheduler(this.scrapes, ctx.log, { owns: (id) => ctx.cluster.owns(id) });
    // Nodes joining or leaving move targets between them: re-read which are ours at once.
    ctx.cluster.onMembershipChange(() => this.scheduler.invalidate());
    this.#offloaded = offloadedSqlite(ctx.db, ctx.log);
    this.rollups = new RollupService(this.#offloaded ?? ctx.db, this.settings, ctx.log);
    const scopes = new MetricScopes(ctx);
    this.queries = new QueryService(ctx, this.settings, scopes);
    this.reports = new UtilisationReportService(ctx, this.queries);
    this.guard = new IngestGuard(ctx, this.ingest, scopes, () => this.rules, this.settings);
    // The CI mapping rules are held in memory on every node: a change on one is re-read by all.
    this.ciRules = new CiRuleService(ctx, async () => {
      await this.reloadRules();
      await ctx.cluster.publish(CI_RULES_CHANGED, null).catch((error: unknown) => ctx.log.warn({ err: error }, 'monitoring: other nodes not told of the CI mapping change'));
    });
    ctx.cluster.subscribe(CI_RULES_CHANGED, () => void this.reloadRules().catch((error: unknown) => ctx.log.warn({ err: error }, 'monitoring: CI mapping rules not re-read')));
  }

  async reloadRules(): Promise<void> {
    this.rules = await loadCompiledRules(this.ctx.db);
  }

  /** Stops scraping, writes what is still queued, then closes the rollups' worker connection (the app is closing). */
  async close(): Promise<void> {
    this.peers.close();
    await this.scheduler.stop();
    await this.ingest.close();
    await this.#offloaded?.destroy();
  }
}

const runtimes = new WeakMap<ModuleContext, MonitoringRuntime>();

export function monitoringOf(ctx: ModuleContext): MonitoringRuntime {
  let runtime = runtimes.get(ctx);
  if (!runtime) {
    runtime = new MonitoringRuntime(ctx);
    runtimes.set(ctx, runtime);
  }
  return runtime;
}
