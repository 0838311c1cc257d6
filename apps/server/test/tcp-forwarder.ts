import net from 'node:net';

/**
 * A loopback TCP forwarder standing in for the load balancer in front of several Yunwei nodes: clients
 * are given its address, and the test decides which node's port it forwards to, or that no node is
 * reachable. It forwards bytes unchanged (no retries, no rewriting) and notes the HTTP requests
 * clients sent through it, as a balancer's access log would.
 */
export interface TcpForwarder {
  /** `http://127.0.0.1:<port>`: the address clients use. */
  url: string;
  /**
   * New connections go to `port` from now on; open ones are cut, as a balancer does when it takes a
   * node out (a client learns of it by a reset, mid-request or not).
   */
  switchTo(port: number): void;
  /** No node reachable: open connections are cut and new ones reset at once, until `switchTo`. */
  refuse(): void;
  /**
   * The next request for `path` reaches the node, and the connection is cut when the node's answer
   * comes: the node did the work, the client never hears of it (a node dying at that moment).
   * Resolves with that request once cut; rejects when no such request came within `timeoutMs`.
   */
  cutNextAnswer(path: string, timeoutMs?: number): Promise<ForwardedRequest>;
  /** Connections forwarded so far, by target port. */
  forwarded: Map<number, number>;
  /** Every complete HTTP request a client sent through it (a request cut off midway is not one), in order. */
  requests: ForwardedRequest[];
  close(): Promise<void>;
}

export interface ForwardedRequest {
  /** The node's port it went to. */
  target: number;
  method: string;
  path: string;
  body: Buffer;
}

/**
 * Splits a client's byte stream into HTTP/1.1 requests (bodies sized by content-length: what Node's
 * http client and fetch send for a known body; chunked bodies are not needed here and not parsed).
 */
function requestSplitter(onRequest: (method: string, path: string, body: Buffer) => void): (chunk: Buffer) => void {
  let pending = Buffer.alloc(0);
  return (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      const end = pending.indexOf('\r\n\r\n');
      if (end < 0) {
        return;
      }
      const head = pending.subarray(0, end).toString('latin1').split('\r\n');
      const length = Number(/^content-length:\s*(\d+)$/im.exec(head.join('\n'))?.[1] ?? 0);
      if (pending.length < end + 4 + length) {
        return;
      }
      const [method = '', path = ''] = head[0]!.split(' ');
      onRequest(method, path, pending.subarray(end + 4, end + 4 + length));
      pending = pending.subarray(end + 4 + length);
    }
  };
}

export async function startTcpForwarder(targetPort: number): Promise<TcpForwarder> {
  let target: number | null = targetPort;
  const open = new Set<net.Socket>();
  const forwarded = new Map<number, number>();
  const requests: ForwardedRequest[] = [];
  let cutAnswer: { path: string; cut: (request: ForwardedRequest) => void } | null = null;
  const cutAll = () => {
    for (const socket of open) {
      socket.destroy();
    }
    open.clear();
  };

  const server = net.createServer((client) => {
    if (target === null) {
      // Reset rather than closing the port: nothing else can take the port while the nodes are "down".
      client.resetAndDestroy();
      return;
    }
    const port = target;
    forwarded.set(port, (forwarded.get(port) ?? 0) + 1);
    const upstream = net.connect(port, '127.0.0.1');
    let doomed: (() => void) | null = null;
    client.on(
      'data',
      requestSplitter((method, path, body) => {
        const request = { target: port, method, path, body };
        requests.push(request);
        if (cutAnswer?.path === path) {
          const { cut } = cutAnswer;
          cutAnswer = null;
          doomed = () => cut(request);
        }
      }),
    );
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('error', drop).on('close', drop);
    }
    client.pipe(upstream);
    upstream.on('end', () => client.end());
    upstream.on('data', (chunk: Buffer) => {
      if (doomed) {
        drop();
        doomed();
      } else if (!client.write(chunk)) {
        upstream.pause();
        client.once('drain', () => upstream.resume());
      }
    });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    switchTo(port) {
      target = port;
      cutAll();
    },
    refuse() {
      target = null;
      cutAll();
    },
    cutNextAnswer: (path, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          cutAnswer = null;
          reject(new Error(`no request for ${path} came through the forwarder within ${timeoutMs} ms`));
        }, timeoutMs);
        cutAnswer = {
          path,
          cut: (request) => {
            clearTimeout(timer);
            resolve(request);
          },
        };
      }),
    forwarded,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        cutAll();
        server.close(() => resolve());
      }),
  };
}
