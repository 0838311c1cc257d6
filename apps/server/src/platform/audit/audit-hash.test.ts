import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox } from '../crypto.js';
import { anchorSignature, auditChainKey, canonicalJson, chainSeal, entryMac, GENESIS_HASH, legacyEntryHash } from './audit-hash.js';

const entry = { ts: 1, actor_id: 'u', actor_name: 'admin', ip: '127.0.0.1', action: 'a.b.c', target_type: 't', target_id: null, outcome: 'success', before: 'null', after: '{"x":1}', prev_hash: GENESIS_HASH };

describe('audit hash', () => {
  it('canonical JSON sorts keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('changes when any field or the previous hash changes (unkeyed scheme of older entries)', () => {
    const hash = legacyEntryHash(entry);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(legacyEntryHash({ ...entry })).toBe(hash);
    expect(legacyEntryHash({ ...entry, actor_name: 'mallory' })).not.toBe(hash);
    expect(legacyEntryHash({ ...entry, after: '{"x":2}' })).not.toBe(hash);
    expect(legacyEntryHash({ ...entry, prev_hash: hash })).not.toBe(hash);
  });

  it('#10.9 keys entries with HMAC-SHA256 under a key derived from the master key, never the unkeyed hash', () => {
    const master = randomBytes(32);
    const key = auditChainKey(new SecretBox(master));
    // HKDF with its own label: neither the master key itself nor another purpose's key.
    expect(key).toHaveLength(32);
    expect(key.equals(master)).toBe(false);
    expect(key.equals(auditChainKey(new SecretBox(Buffer.from(master))))).toBe(true);
    expect(key.equals(new SecretBox(master).deriveKey('something-else'))).toBe(false);

    const mac = entryMac(key, entry);
    expect(mac).toMatch(/^[0-9a-f]{64}$/);
    expect(entryMac(key, { ...entry })).toBe(mac);
    expect(mac).not.toBe(legacyEntryHash(entry));
    expect(entryMac(auditChainKey(new SecretBox(randomBytes(32))), entry)).not.toBe(mac);
    for (const change of [{ actor_name: 'mallory' }, { after: '{"x":2}' }, { prev_hash: mac }, { ts: 2 }, { target_id: 'x' }]) {
      expect(entryMac(key, { ...entry, ...change })).not.toBe(mac);
    }
    // A real HMAC (RFC 2104 via node:crypto) over a purpose-tagged message.
    const text = ['entry\u001e' + GENESIS_HASH, 1, 'u', 'admin', '127.0.0.1', 'a.b.c', 't', '', 'success', 'null', '{"x":1}'].join('\u001f');
    expect(mac).toBe(createHmac('sha256', key).update(text).digest('hex'));
  });

  it('#10.9 seals the head and signs anchors under the same key, each bound to its purpose', () => {
    const key = auditChainKey(new SecretBox(randomBytes(32)));
    const head = { head_id: 9, head_hash: 'a'.repeat(64), anchor_id: 2, anchor_hash: 'b'.repeat(64), appended: 9, purged: 2, keyed_after: 3 };
    const seal = chainSeal(key, head);
    for (const change of [{ head_id: 8 }, { head_hash: 'c'.repeat(64) }, { anchor_id: 3 }, { anchor_hash: 'c'.repeat(64) }, { appended: 8 }, { purged: 3 }, { keyed_after: 9 }]) {
      expect(chainSeal(key, { ...head, ...change })).not.toBe(seal);
    }
    const anchor = { seq: 9, hash: 'a'.repeat(64), count: 9, time: 1_700_000_000_000 };
    const sig = anchorSignature(key, anchor);
    expect(sig).not.toBe(anchorSignature(key, { ...anchor, seq: 8 }));
    expect(sig).not.toBe(anchorSignature(key, { ...anchor, count: 10 }));
    expect(sig).not.toBe(anchorSignature(auditChainKey(new SecretBox(randomBytes(32))), anchor));
  });
});
