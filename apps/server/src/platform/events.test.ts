import { describe, expect, it, vi } from 'vitest';
import { EventBus } from './events.js';

describe('EventBus', () => {
  it('delivers typed events and isolates failing handlers from the publisher', async () => {
    const errors: unknown[] = [];
    const bus = new EventBus((error) => errors.push(error));
    const seen = vi.fn();
    bus.on('session.revoked', () => {
      throw new Error('boom');
    });
    bus.on('session.revoked', async () => Promise.reject(new Error('async boom')));
    const off = bus.on('session.revoked', seen);
    expect(() => bus.emit('session.revoked', { userId: 'u1' })).not.toThrow();
    await new Promise((r) => setImmediate(r));
    expect(seen).toHaveBeenCalledWith({ userId: 'u1' });
    expect(errors).toHaveLength(2);
    off();
    bus.emit('session.revoked', { userId: 'u2' });
    expect(seen).toHaveBeenCalledTimes(1);
  });
});
