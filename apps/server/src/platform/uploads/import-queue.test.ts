import { describe, expect, it } from 'vitest';
import { ImportQueue } from './import-queue.js';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('import queue', () => {
  it('#10.11 runs two imports at once, queues the next ones and refuses beyond the waiting line', async () => {
    const queue = new ImportQueue(2, 2);
    const g = gate();
    const order: number[] = [];
    const jobs = [1, 2, 3, 4].map((n) =>
      queue.run(async () => {
        order.push(n);
        await g.opened;
        return n;
      }),
    );
    await Promise.resolve();
    expect([queue.running, queue.waiting, queue.full]).toEqual([2, 2, true]);
    await expect(queue.run(async () => 5)).rejects.toMatchObject({ code: 'YW_UPLOAD_BUSY', status: 503, details: { retryAfterSeconds: 5 } });
    g.open();
    expect(await Promise.all(jobs)).toEqual([1, 2, 3, 4]);
    expect(order).toEqual([1, 2, 3, 4]);
    expect([queue.running, queue.waiting, queue.peak]).toEqual([0, 0, 2]);
    // A failing import frees its slot too.
    await expect(queue.run(() => Promise.reject(new Error('bad sheet')))).rejects.toThrow('bad sheet');
    expect(queue.running).toBe(0);
  });
});
