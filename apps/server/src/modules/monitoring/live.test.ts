import { describe, expect, it } from 'vitest';
import { LiveConnection, type LiveSocket } from './live.js';
import { seriesRef, type PreparedSample, type SeriesRef } from './series.js';

/** A socket whose unsent byte count the test controls. */
class FakeSocket implements LiveSocket {
  bufferedAmount = 0;
  readyState = 1;
  sent: Record<string, unknown>[] = [];
  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
}

const cpu = seriesRef('host_cpu_usage_percent', { ci: 'h1' }) as SeriesRef;
const sample = (ts: number): PreparedSample => ({ series: cpu, ts, value: ts % 100 });

describe('live connection queue', () => {
  it('sends one message per subscription with the points grouped by series', () => {
    const socket = new FakeSocket();
    const conn = new LiveConnection(socket, () => undefined, { flushMs: 10_000 });
    conn.receive(JSON.stringify({ subscribe: [{ id: 'cpu', selector: 'host_cpu_usage_percent' }] }));
    expect(socket.sent).toEqual([{ subscribed: ['cpu'] }]);
    expect(conn.matching(cpu.metric, cpu.labels)).toEqual(['cpu']);
    conn.enqueue('cpu', sample(2000));
    conn.enqueue('cpu', sample(1000));
    conn.flush();
    expect(socket.sent[1]).toEqual({ id: 'cpu', series: [{ labels: { __name__: 'host_cpu_usage_percent', ci: 'h1' }, points: [[1000, 0], [2000, 0]] }] });
    conn.close();
  });

  it('keeps at most maxQueued points for a slow client, drops the oldest and says how many', () => {
    const socket = new FakeSocket();
    const conn = new LiveConnection(socket, () => undefined, { maxQueued: 100, highWaterBytes: 1000, flushMs: 10_000 });
    conn.receive(JSON.stringify({ subscribe: [{ id: 'cpu', selector: 'host_cpu_usage_percent' }] }));
    socket.bufferedAmount = 5000; // the client is not reading
    for (let i = 0; i < 1000; i++) {
      conn.enqueue('cpu', sample(1_000_000 + i));
    }
    conn.flush(); // nothing sent while the socket is backed up
    expect(socket.sent).toHaveLength(1);
    expect(conn.queued).toBeLessThanOrEqual(100);
    socket.bufferedAmount = 0;
    conn.flush();
    expect(socket.sent[1]).toEqual({ dropped: 900 });
    const points = (socket.sent[2] as { series: { points: [number, number][] }[] }).series[0]!.points;
    expect(points).toHaveLength(100);
    expect(points[0]![0]).toBe(1_000_900); // the newest were kept
    conn.close();
  });

  it('refuses more subscriptions than the limit, one by one', () => {
    const socket = new FakeSocket();
    const conn = new LiveConnection(socket, () => undefined);
    const subscribe = Array.from({ length: 50 }, (_, i) => ({ id: `s${i}`, selector: `m${i}` }));
    conn.receive(JSON.stringify({ subscribe }));
    conn.receive(JSON.stringify({ subscribe: [{ id: 'one-more', selector: 'x' }] }));
    expect(socket.sent.at(-2)).toMatchObject({ error: { id: 'one-more', message: expect.stringMatching(/at most 50/) } });
    conn.receive(JSON.stringify({ unsubscribe: ['s0'] }));
    expect((socket.sent.at(-1) as { subscribed: string[] }).subscribed).toHaveLength(49);
    conn.close();
  });
});
