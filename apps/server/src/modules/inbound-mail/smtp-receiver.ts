import { readFileSync } from 'node:fs';
import { isIP, type AddressInfo, type BlockList } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

/** What the SMTP client said in the envelope. */
export interface SmtpEnvelope {
  from: string | null;
  to: string[];
  remoteAddress: string;
}

export interface SmtpReceiverOptions {
  host: string;
  port: number;
  /** Recipient domains accepted, lower-case; empty: every domain. */
  domains: readonly string[];
  /** Networks that may connect; null: any address. */
  allow: BlockList | null;
  maxBytes: number;
  tls?: { certFile: string; keyFile: string };
  log: FastifyBaseLogger;
  /**
   * Stores the message; the client gets 250 only after it resolves. A rejection answers 451 (try again
   * later), so the relay keeps the message and retries: nothing is lost.
   */
  accept: (envelope: SmtpEnvelope, raw: Buffer) => Promise<void>;
}

/** An SMTP reply code with its text (smtp-server reads `responseCode`). */
function reply(code: number, text: string): Error & { responseCode: number } {
  return Object.assign(new Error(text), { responseCode: code });
}

/** The domain of an address, lower-case (`""` when there is none). */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? '' : address.slice(at + 1).toLowerCase().replace(/\.$/, '');
}

/** `::ffff:10.0.0.1` → `10.0.0.1`, so IPv4 allow lists match IPv4 clients on a dual-stack socket. */
function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/**
 * The SMTP receiver: `smtp-server` with no AUTH (it sits behind the organisation's mail relay, which
 * authenticates senders; `allow` limits who may connect), STARTTLS only with a certificate configured.
 * Recipients outside `domains` are refused at RCPT (550); a message over `maxBytes` at DATA (552), its
 * bytes beyond the limit never held in memory and nothing stored.
 */
export class SmtpReceiver {
  #server: SMTPServer | null = null;

  constructor(private readonly options: SmtpReceiverOptions) {}

  /** Where it listens (null: not listening). */
  get address(): AddressInfo | null {
    const address = this.#server?.server.address();
    return address && typeof address === 'object' ? address : null;
  }

  async start(): Promise<void> {
    if (this.#server) {
      return;
    }
    const o = this.options;
    const tls = o.tls ? { cert: readFileSync(o.tls.certFile), key: readFileSync(o.tls.keyFile) } : {};
    const settings: SMTPServerOptions = {
      ...tls,
      banner: 'Yunwei inbound mail',
      logger: false,
      size: o.maxBytes,
      authOptional: true,
      disabledCommands: o.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
      maxClients: 100,
      socketTimeout: 60_000,
      closeTimeout: 5_000,
      onConnect: (session, callback) => {
        const from = plainAddress(session.remoteAddress);
        if (o.allow && !o.allow.check(from, isIP(from) === 6 ? 'ipv6' : 'ipv4')) {
          callback(reply(554, `5.7.1 ${from} may not send mail here`));
          return;
        }
        callback();
      },
      onRcptTo: (address, _session, callback) => {
        const domain = domainOf(address.address);
        if (o.domains.length && !o.domains.includes(domain)) {
          callback(reply(550, `5.1.1 <${address.address}>: this server accepts mail for ${o.domains.join(', ')} only`));
          return;
        }
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        stream.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          // Past the limit the rest is read and dropped: the client is answered 552 below.
          if (bytes <= o.maxBytes) {
            chunks.push(chunk);
          }
        });
        stream.on('error', (error: Error) => callback(error));
        stream.on('end', () => {
          if (stream.sizeExceeded || bytes > o.maxBytes) {
            callback(reply(552, `5.3.4 message exceeds the maximum size of ${o.maxBytes} bytes`));
            return;
          }
          const envelope: SmtpEnvelope = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
            to: session.envelope.rcptTo.map((r) => r.address),
            remoteAddress: plainAddress(session.remoteAddress),
          };
          o.accept(envelope, Buffer.concat(chunks)).then(
            () => callback(),
            (error: unknown) => {
              o.log.error({ err: error }, 'inbound mail: message not stored (the client was told to retry)');
              callback(reply(451, '4.3.0 the message could not be stored, try again later'));
            },
          );
        });
      },
    };
    const server = new SMTPServer(settings);
    server.on('error', (error) => o.log.warn({ err: error }, 'inbound mail: SMTP connection error'));
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(o.port, o.host, () => {
        server.server.off('error', reject);
        resolve();
      });
    });
    this.#server = server;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    if (server) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }
}
