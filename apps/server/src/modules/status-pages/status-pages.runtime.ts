import type { ModuleContext } from '../../platform/module.js';
import { PublicStatusService } from './public-status.service.js';
import { StatusPagesService } from './status-pages.service.js';

/** Told to the other nodes when a page changes: their cached public answers go too. */
const PAGES_CHANGED = 'status-pages.changed';

/** The status pages of one app: the admin service and the public answers with their short cache. */
export class StatusPagesRuntime {
  readonly publicStatus: PublicStatusService;
  readonly service: StatusPagesService;

  constructor(ctx: ModuleContext) {
    this.publicStatus = new PublicStatusService(ctx);
    // A change to a page shows on its public page at once, on every node (an unpublished page is gone
    // everywhere); check results and alerts within the cache time.
    this.service = new StatusPagesService(ctx, () => {
      this.publicStatus.forget();
      ctx.cluster.publish(PAGES_CHANGED, null).catch((error: unknown) => ctx.log.warn({ err: error }, 'status pages: other nodes not told of a change'));
    });
    ctx.cluster.subscribe(PAGES_CHANGED, () => this.publicStatus.forget());
  }
}

const runtimes = new WeakMap<ModuleContext, StatusPagesRuntime>();

export function statusPagesOf(ctx: ModuleContext): StatusPagesRuntime {
  let runtime = runtimes.get(ctx);
  if (!runtime) {
    runtime = new StatusPagesRuntime(ctx);
    runtimes.set(ctx, runtime);
  }
  return runtime;
}
