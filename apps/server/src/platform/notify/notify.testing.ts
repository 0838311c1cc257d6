import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server on 127.0.0.1 for tests: keeps every message parsed, and whether it came over TLS. */
export interface TestSmtp {
  port: number;
  messages: { mail: ParsedMail; raw: string; secure: boolean; user: string | undefined; rcptTo: string[] }[];
  stop(): Promise<void>;
}

/** `tls` alone: STARTTLS offered; with `implicitTls`: TLS from the first byte (port 465 style). */
export async function startSmtp(options: { tls?: { key: string; cert: string }; implicitTls?: boolean; auth?: { user: string; pass: string } } = {}): Promise<TestSmtp> {
  const messages: TestSmtp['messages'] = [];
  const server = new SMTPServer({
    secure: options.implicitTls === true,
    ...(options.tls ? { key: options.tls.key, cert: options.tls.cert } : {}),
    // Without TLS the server offers neither STARTTLS nor AUTH; smtp-server also refuses AUTH before STARTTLS.
    disabledCommands: options.tls ? (options.auth ? [] : ['AUTH']) : ['STARTTLS', 'AUTH'],
    authOptional: !options.auth,
    logger: false,
    onAuth(auth, _session, callback) {
      if (options.auth && auth.username === options.auth.user && auth.password === options.auth.pass) {
        callback(null, { user: auth.username });
      } else {
        callback(new Error('Invalid username or password'));
      }
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((mail) => {
            messages.push({ mail, raw: raw.toString('latin1'), secure: session.secure, user: session.user as string | undefined, rcptTo: session.envelope.rcptTo.map((r) => r.address) });
            callback();
          })
          .catch((error: Error) => callback(error));
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, messages, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export interface ReceivedRequest {
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: any;
  at: number;
}

/** What the receiver answers to request number `n` (0-based): a status and JSON, or `hang` (never answers). */
export type Responder = (req: ReceivedRequest, n: number) => { status?: number; json?: unknown } | 'hang';

/** A real HTTP receiver on 127.0.0.1 that records every request and answers as `respond` says. */
export interface TestReceiver {
  url: string;
  requests: ReceivedRequest[];
  respond: Responder;
  stop(): Promise<void>;
}

export async function startReceiver(respond: Responder = () => ({ status: 200, json: {} })): Promise<TestReceiver> {
  const hanging = new Set<http.ServerResponse>();
  const receiver: TestReceiver = { url: '', requests: [], respond, stop: async () => undefined };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const received: ReceivedRequest = { url: req.url ?? '', headers: req.headers, body, json, at: Date.now() };
      const answer = receiver.respond(received, receiver.requests.length);
      receiver.requests.push(received);
      if (answer === 'hang') {
        hanging.add(res);
        return;
      }
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.json ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.stop = async () => {
    for (const res of hanging) {
      res.destroy();
    }
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return receiver;
}
