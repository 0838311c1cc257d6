import dns from 'node:dns';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { guardedRequest } from './guarded-http.js';
import { OutboundPolicy, OutboundRefusedError } from './outbound-policy.js';

const signal = () => AbortSignal.timeout(5_000);

describe('guarded HTTP requests', () => {
  let server: Server;
  let port: number;
  const hits: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      if (req.url?.startsWith('/redirect')) {
        res.writeHead(302, { location: new URL(req.url, 'http://x').searchParams.get('to') ?? '/' }).end();
      } else {
        res.end('ok');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  afterEach(() => {
    vi.restoreAllMocks();
    hits.length = 0;
  });

  it('#10.17 every redirect hop is checked again: a redirect into a denied network is refused before connecting', async () => {
    const guard = new OutboundPolicy({ allow: '', deny: '169.254.0.0/16', channelLocal: true }).guard('scrape');
    const to = encodeURIComponent('http://169.254.169.254/latest/meta-data/');
    const refused = guardedRequest(`http://127.0.0.1:${port}/redirect?to=${to}`, guard, { signal: signal(), maxRedirects: 5 });
    await expect(refused).rejects.toBeInstanceOf(OutboundRefusedError);
    await expect(refused).rejects.toThrow(/169\.254\.169\.254 is in a denied network/);
    // A redirect within the policy is followed.
    const followed = await guardedRequest(`http://127.0.0.1:${port}/redirect?to=${encodeURIComponent(`http://127.0.0.1:${port}/final`)}`, guard, { signal: signal(), maxRedirects: 5 });
    expect([followed.status, followed.body.toString()]).toEqual([200, 'ok']);
    expect(hits).toEqual([expect.stringMatching(/^\/redirect/), expect.stringMatching(/^\/redirect/), '/final']);
  });

  it('#10.17 DNS rebinding: a name is resolved once per connection, every answer checked, and the checked address is the one connected to', async () => {
    // The name first answers an allowed address, then (as a rebinding attacker's DNS would) a denied one.
    const answers = ['127.0.0.1', '169.254.169.254'];
    const lookup = vi.spyOn(dns, 'lookup').mockImplementation(((_host: string, options: dns.LookupAllOptions, callback: (e: null, a: dns.LookupAddress[]) => void) => {
      callback(null, [{ address: answers.shift() ?? '169.254.169.254', family: 4 }]);
    }) as never);
    const guard = new OutboundPolicy({ allow: '', deny: '169.254.0.0/16', channelLocal: true }).guard('check');

    const first = await guardedRequest(`http://rebind.example.cn:${port}/first`, guard, { signal: signal() });
    expect(first.body.toString()).toBe('ok');
    expect(lookup).toHaveBeenCalledTimes(1);
    await expect(guardedRequest(`http://rebind.example.cn:${port}/second`, guard, { signal: signal() })).rejects.toThrow(/rebind\.example\.cn → 169\.254\.169\.254 is in a denied network/);
    expect(lookup).toHaveBeenCalledTimes(2);
    expect(hits).toEqual(['/first']);
  });
});
