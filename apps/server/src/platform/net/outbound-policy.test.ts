import { describe, expect, it } from 'vitest';
import { OutboundPolicy, OutboundRefusedError, parseNetworks } from './outbound-policy.js';

describe('outbound network policy', () => {
  it('#10.17 refuses loopback, "this host" and link-local for channels only, unless re-allowed; IPv4-mapped IPv6 too', () => {
    const policy = new OutboundPolicy({ allow: '', deny: '', channelLocal: false });
    for (const address of ['127.0.0.1', '127.8.9.10', '::1', '0.0.0.0', '::', '169.254.169.254', 'fe80::1', '::ffff:127.0.0.1', '::ffff:169.254.169.254']) {
      expect(policy.refusal(address, 'channel'), address).toMatch(/loopback|link-local/);
      expect(policy.refusal(address, 'check'), address).toBeNull();
      expect(policy.refusal(address, 'scrape'), address).toBeNull();
    }
    for (const address of ['10.1.2.3', '192.168.1.1', '203.0.113.7', '2001:db8::1']) {
      expect(policy.refusal(address, 'channel'), address).toBeNull();
    }
    expect(new OutboundPolicy({ allow: '', deny: '', channelLocal: true }).refusal('127.0.0.1', 'channel')).toBeNull();
  });

  it('#10.17 the deny list wins over the allow list; outside a non-empty allow list nothing is reached', () => {
    const policy = new OutboundPolicy({ allow: '10.0.0.0/8, 2001:db8::/32', deny: '10.9.0.0/16 203.0.113.5', channelLocal: true });
    expect(policy.refusal('10.1.1.1', 'check')).toBeNull();
    expect(policy.refusal('2001:db8::5', 'scrape')).toBeNull();
    expect(policy.refusal('10.9.1.1', 'check')).toMatch(/denied network/);
    expect(policy.refusal('192.168.1.1', 'channel')).toMatch(/not in an allowed network/);
    expect(policy.refusal('203.0.113.5', 'check')).toMatch(/denied network/);
  });

  it('#10.17 resolves a name and checks every address before answering one; bad lists are refused', async () => {
    const guard = new OutboundPolicy({ allow: '', deny: '', channelLocal: false }).guard('channel');
    await expect(guard.resolve('localhost')).rejects.toBeInstanceOf(OutboundRefusedError);
    await expect(guard.resolve('[::1]')).rejects.toThrow(/loopback/);
    await expect(new OutboundPolicy({ allow: '', deny: '', channelLocal: false }).guard('check').resolve('127.0.0.1')).resolves.toEqual({ address: '127.0.0.1', family: 4 });
    expect(() => parseNetworks('10.0.0.0/33')).toThrow(/10\.0\.0\.0\/33/);
    expect(() => parseNetworks('example.cn')).toThrow(/example\.cn/);
  });
});
