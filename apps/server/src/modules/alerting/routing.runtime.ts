import type { Transaction } from 'kysely';
import { joinedTransaction } from '../../db/joined-transaction.js';
import type { Database } from '../../db/schema.js';
import type { ModuleContext } from '../../platform/module.js';
import { dispatchSender, dispatchSenderWithin, type DispatchSender } from './dispatch-sender.js';
import { Dispatcher, type DispatcherOptions } from './dispatcher.js';
import { EscalationService } from './escalation.service.js';
import { MaintenanceService } from './maintenance.service.js';
import { NotificationPolicyService } from './notification-policy.service.js';
import { SilenceService } from './silence.service.js';

/** The routing half's long-lived parts for one app: its services and the dispatcher they wake. */
export class RoutingRuntime {
  readonly sender: DispatchSender;
  readonly dispatcher: Dispatcher;
  readonly silences: SilenceService;
  readonly maintenance: MaintenanceService;
  readonly policies: NotificationPolicyService;
  readonly escalations: EscalationService;

  constructor(
    private readonly ctx: ModuleContext,
    options: DispatcherOptions & { sender?: DispatchSender } = {},
  ) {
    this.sender = options.sender ?? dispatchSender(ctx);
    this.dispatcher = new Dispatcher(ctx, this.sender, options);
    const wake = () => this.dispatcher.wake();
    const now = options.now ?? Date.now;
    this.silences = new SilenceService(ctx, wake, now);
    this.maintenance = new MaintenanceService(ctx, wake, now);
    this.policies = new NotificationPolicyService(ctx, wake);
    this.escalations = new EscalationService(ctx, this.sender);
  }

  /**
   * Notification and escalation policies written inside a caller's transaction (a check's own routing,
   * in the check's): validated and audited as always. The caller calls `dispatcher.wake()` after the commit.
   */
  within(trx: Transaction<Database>): { policies: NotificationPolicyService; escalations: EscalationService } {
    const db = joinedTransaction(trx);
    return {
      policies: new NotificationPolicyService({ db, audit: this.ctx.audit }, () => undefined),
      escalations: new EscalationService({ db, audit: this.ctx.audit }, dispatchSenderWithin(this.ctx, trx)),
    };
  }
}

const runtimes = new WeakMap<ModuleContext, RoutingRuntime>();

export function routingOf(ctx: ModuleContext): RoutingRuntime {
  let runtime = runtimes.get(ctx);
  if (!runtime) {
    runtime = new RoutingRuntime(ctx);
    runtimes.set(ctx, runtime);
  }
  return runtime;
}
