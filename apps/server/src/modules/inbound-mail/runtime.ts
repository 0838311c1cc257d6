import type { ModuleContext } from '../../platform/module.js';
import { parseNetworks } from '../../platform/net/outbound-policy.js';
import { InboundMailService, type InboundMailHandler } from './inbound-mail.service.js';
import { SmtpReceiver } from './smtp-receiver.js';

export type { InboundMail, InboundMailHandler, InboundMailSender } from './inbound-mail.service.js';

/** How often the pending pass looks for `received` rows (new ones are processed at once; this takes up what a stopped node left). */
const PASS_MS = 30_000;

/** The configured list, split on commas and spaces, lower-case. */
export function listOf(setting: string): string[] {
  return setting
    .split(/[\s,]+/)
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}

/**
 * Inbound mail of one app: the service, the handlers other modules register
 * (`inboundMailOf(ctx).register({ name, recipients?, handle })`) and, when YUNWEI_MAIL_RECEIVER_PORT is
 * set, the SMTP receiver — started when the app listens, stopped when it closes.
 */
export class InboundMailRuntime {
  readonly service: InboundMailService;
  readonly receiver: SmtpReceiver | null;
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly ctx: ModuleContext) {
    this.service = new InboundMailService(ctx);
    const c = ctx.config;
    this.receiver =
      c.mailReceiverPort === undefined
        ? null
        : new SmtpReceiver({
            host: c.mailReceiverHost,
            port: c.mailReceiverPort,
            domains: listOf(c.mailReceiverDomains),
            allow: c.mailReceiverAllow.trim() ? parseNetworks(c.mailReceiverAllow) : null,
            maxBytes: c.mailReceiverMaxBytes,
            ...(c.mailReceiverTlsCert && c.mailReceiverTlsKey ? { tls: { certFile: c.mailReceiverTlsCert, keyFile: c.mailReceiverTlsKey } } : {}),
            log: ctx.log,
            accept: async (envelope, raw) => void (await this.service.accept(envelope, raw)),
          });
  }

  register(handler: InboundMailHandler): void {
    this.service.register(handler);
  }

  /** Starts the receiver (when configured) and the pending pass (every node: rows are claimed one by one). */
  async start(): Promise<void> {
    await this.receiver?.start();
    if (this.receiver) {
      this.ctx.log.info({ address: this.receiver.address }, 'inbound mail: SMTP receiver listening');
    }
    this.#timer ??= setInterval(() => this.service.kick(), PASS_MS);
    this.#timer.unref();
    this.service.kick();
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.receiver?.stop();
    await this.service.idle();
  }
}

const runtimes = new WeakMap<ModuleContext, InboundMailRuntime>();

export function inboundMailOf(ctx: ModuleContext): InboundMailRuntime {
  let runtime = runtimes.get(ctx);
  if (!runtime) {
    runtime = new InboundMailRuntime(ctx);
    runtimes.set(ctx, runtime);
  }
  return runtime;
}
