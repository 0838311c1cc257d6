import { describe, expect, it } from 'vitest';
import { canonicalJson, entryHash, GENESIS_HASH } from './audit-hash.js';

describe('audit hash', () => {
  it('canonical JSON sorts keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('changes when any field or the previous hash changes', () => {
    const entry = { ts: 1, actor_id: 'u', actor_name: 'admin', ip: '127.0.0.1', action: 'a.b.c', target_type: 't', target_id: null, outcome: 'success', before: 'null', after: '{"x":1}', prev_hash: GENESIS_HASH };
    const hash = entryHash(entry);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(entryHash({ ...entry })).toBe(hash);
    expect(entryHash({ ...entry, actor_name: 'mallory' })).not.toBe(hash);
    expect(entryHash({ ...entry, after: '{"x":2}' })).not.toBe(hash);
    expect(entryHash({ ...entry, prev_hash: hash })).not.toBe(hash);
  });
});
