import type { Kysely } from 'kysely';
import type { ChannelType } from '@yunwei/contracts/notify';
import type { Database } from '../../db/schema.js';
import type { ModuleContext } from '../../platform/module.js';
import { outboundPolicyOf } from '../../platform/net/outbound-policy.js';
import { ChannelService } from './channel.service.js';
import { DeliveryService, type EnqueueInput } from './delivery.service.js';
import { monitoringOf } from '../monitoring/runtime.js';
import { DeliveryWorker } from './delivery-worker.js';
import { outboxSamples } from './outbox-stats.js';

export type { EnqueueInput } from './delivery.service.js';

/**
 * The notify module's long-lived parts for one app, and what other modules use to send:
 * `enqueue` writes a durable delivery row (in the caller's transaction when given) and returns;
 * the worker sends it with timeouts, retries and the rate limit.
 */
export class NotifyRuntime {
  readonly service: ChannelService;
  readonly worker: DeliveryWorker;
  readonly deliveries: DeliveryService;
  /** For validation of targets by other modules (alerting's policies). */
  readonly channels = {
    exists: async (id: string): Promise<boolean> => (await this.service.repo.channel(id)) !== undefined,
    list: async (): Promise<{ id: string; name: string; type: ChannelType; enabled: boolean; isDefault: boolean }[]> =>
      (await this.service.repo.channels({})).rows.map((r) => ({ id: r.id, name: r.name, type: r.type as ChannelType, enabled: r.enabled === 1, isDefault: r.is_default === 1 })),
    /** The enabled default channels now (the default notification policy reads them at every send). */
    defaults: (): Promise<string[]> => this.service.repo.defaultChannelIds(),
  };

  #statsTimer: NodeJS.Timeout | undefined;

  constructor(private readonly ctx: ModuleContext) {
    this.service = new ChannelService(ctx);
    this.worker = new DeliveryWorker(this.service.repo, this.service, ctx.log, outboundPolicyOf(ctx.config).guard('channel'), ctx.files);
    this.deliveries = new DeliveryService(ctx, this.service.repo, this.service, this.worker);
  }

  enqueue(input: EnqueueInput, trx?: Kysely<Database>): Promise<{ deliveryId: string }> {
    return this.deliveries.enqueue(input, trx);
  }

  /**
   * Looks for due deliveries now. `enqueue` inside a transaction cannot see its commit: call this
   * after the commit to send at once instead of at the next poll (≤ 500 ms).
   */
  wake(): void {
    this.worker.wake();
  }

  /** Starts the delivery worker and, every minute, writes the outbox's figures to the metrics store (see outbox-stats.ts). */
  start(): void {
    this.worker.start();
    this.#statsTimer ??= setInterval(() => void this.writeStats(), 60_000);
    this.#statsTimer.unref();
  }

  async writeStats(): Promise<void> {
    // The outbox is one table for the cluster: one node (whichever owns the key) writes its figures.
    if (!this.ctx.cluster.owns('notify.outbox-stats')) {
      return;
    }
    try {
      await monitoringOf(this.ctx).ingest.write(await outboxSamples(this.ctx.db));
    } catch (error) {
      this.ctx.log.warn({ err: error }, 'notify: outbox figures not stored');
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#statsTimer);
    this.#statsTimer = undefined;
    await this.worker.stop();
  }
}

const runtimes = new WeakMap<ModuleContext, NotifyRuntime>();

export function notifyOf(ctx: ModuleContext): NotifyRuntime {
  let runtime = runtimes.get(ctx);
  if (!runtime) {
    runtime = new NotifyRuntime(ctx);
    runtimes.set(ctx, runtime);
  }
  return runtime;
}
