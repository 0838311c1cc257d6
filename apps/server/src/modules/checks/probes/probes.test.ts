import { describe, expect, it } from 'vitest';
import { parseServer } from './dns.probe.js';
import { parsePing } from './icmp.probe.js';
import { CounterMemory } from './probe.js';
import { numberOf } from './snmp.probe.js';

describe('probe helpers', () => {
  it('reads the summary of ping: replies, loss and the average round trip', () => {
    const ok = `PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.
64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.265 ms

--- 127.0.0.1 ping statistics ---
2 packets transmitted, 2 received, 0% packet loss, time 202ms
rtt min/avg/max/mdev = 0.032/0.148/0.265/0.116 ms
`;
    expect(parsePing(ok)).toEqual({ transmitted: 2, received: 2, avgMs: 0.148 });
    const lost = `PING 10.9.9.9 (10.9.9.9) 56(84) bytes of data.

--- 10.9.9.9 ping statistics ---
3 packets transmitted, 0 received, 100% packet loss, time 2040ms
`;
    expect(parsePing(lost)).toEqual({ transmitted: 3, received: 0, avgMs: null });
    const busybox = `3 packets transmitted, 3 packets received, 0% packet loss
round-trip min/avg/max = 0.058/0.075/0.094 ms`;
    expect(parsePing(busybox)).toEqual({ transmitted: 3, received: 3, avgMs: 0.075 });
    expect(parsePing('ping: unknown host')).toBeNull();
  });

  it('turns counters into per-second rates, through a 32-bit wrap, not through a reset', () => {
    const m = new CounterMemory();
    expect(m.rate('a', 1000, 10_000)).toBeNull();
    expect(m.rate('a', 3000, 12_000)).toBe(1000);
    expect(m.rate('a', 3000, 12_000)).toBeNull(); // no time passed
    const wrap = 2 ** 32;
    expect(m.rate('w', wrap - 1000, 0, wrap)).toBeNull();
    expect(m.rate('w', 1000, 1000, wrap)).toBe(2000);
    expect(m.rate('r', 5_000_000, 0, wrap)).toBeNull();
    expect(m.rate('r', 10, 1000, wrap)).toBeNull(); // low value before: a reset, not a wrap
    m.keepOnly(new Set(['a']));
    expect(m.rate('w', 2000, 2000, wrap)).toBeNull();
  });

  it('reads Counter64 buffers and plain numbers', () => {
    expect(numberOf(Buffer.from([0x01, 0x00, 0x00, 0x00, 0x00]))).toBe(2 ** 32);
    expect(numberOf(Buffer.from([0x37, 0xc3, 0x8a, 0x86]))).toBe(935_561_862);
    expect(numberOf(42)).toBe(42);
    expect(numberOf('x')).toBeNull();
  });

  it('accepts resolver addresses with or without a port, IPv6 in brackets', () => {
    expect(parseServer('127.0.0.1')).toEqual({ host: '127.0.0.1', port: 53 });
    expect(parseServer('127.0.0.1:5353')).toEqual({ host: '127.0.0.1', port: 5353 });
    expect(parseServer('[::1]:5353')).toEqual({ host: '::1', port: 5353 });
    expect(parseServer('::1')).toEqual({ host: '::1', port: 53 });
    expect(parseServer('dns.example')).toBeNull();
    expect(parseServer('127.0.0.1:99999')).toBeNull();
  });
});
