import { describe, expect, it, vi } from 'vitest';
import { EventBus } from './events.js';

describe('EventBus', () => {
  it('delivers typed events and isolates failing handlers from the publisher', async () => {
    const errors: unknown[] = [];
    const bus = new EventBus((error) => errors.push(error));
    const seen = vi.fn();
    bus.on('identity.user.locked', () => {
      throw new Error('boom');
    });
    bus.on('identity.user.locked', async () => Promise.reject(new Error('async boom')));
    const off = bus.on('identity.user.locked', seen);
    expect(() => bus.emit('identity.user.locked', { userId: 'u1' })).not.toThrow();
    await new Promise((r) => setImmediate(r));
    expect(seen).toHaveBeenCalledWith({ userId: 'u1' });
    expect(errors).toHaveLength(2);
    off();
    bus.emit('identity.user.locked', { userId: 'u2' });
    expect(seen).toHaveBeenCalledTimes(1);
  });
});
