import { createHash, createHmac } from 'node:crypto';
import type { SecretBox } from '../crypto.js';

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth, so the same value always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value ?? null));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(sortKeys);
  }
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export interface HashedFields {
  ts: number;
  actor_id: string | null;
  actor_name: string;
  ip: string;
  action: string;
  target_type: string;
  target_id: string | null;
  outcome: string;
  before: string;
  after: string;
  prev_hash: string;
}

function entryText(e: HashedFields): string {
  return [e.prev_hash, e.ts, e.actor_id ?? '', e.actor_name, e.ip, e.action, e.target_type, e.target_id ?? '', e.outcome, e.before, e.after].join('\u001f');
}

/**
 * Scheme 1, unkeyed SHA-256 over the previous hash and every field: what entries written before the
 * keyed chain carry. Anyone can recompute it, so it only proves anything below a keyed entry.
 */
export function legacyEntryHash(e: HashedFields): string {
  return createHash('sha256').update(entryText(e)).digest('hex');
}

/** Scheme 2, HMAC-SHA256 under the chain key: forging or relinking an entry needs the master key. */
export function entryMac(key: Buffer, e: HashedFields): string {
  return mac(key, 'entry', entryText(e));
}

/** The key of the chain, derived from the master key (never stored in the database). */
export function auditChainKey(secrets: SecretBox): Buffer {
  return secrets.deriveKey('audit-chain:v2');
}

/** What the head record holds; its seal covers all of it. */
export interface ChainState {
  head_id: number;
  head_hash: string;
  anchor_id: number;
  anchor_hash: string;
  /** Entries ever appended (counted from genesis, or from the switch to the keyed chain). */
  appended: number;
  /** Entries removed by retention since then: the trail holds appended − purged entries. */
  purged: number;
  /** Entries with an id up to this one carry scheme 1 hashes; later ones scheme 2. */
  keyed_after: number;
}

/** HMAC over the head record: moving the head, the retention anchor, the count or the switch point breaks it. */
export function chainSeal(key: Buffer, c: ChainState): string {
  return mac(key, 'head', [c.head_id, c.head_hash, c.anchor_id, c.anchor_hash, c.appended, c.purged, c.keyed_after].join('\u001f'));
}

/** A head exported for an auditor to keep outside the database. */
export interface AnchorFields {
  seq: number;
  hash: string;
  count: number;
  time: number;
}

export function anchorSignature(key: Buffer, a: AnchorFields): string {
  return mac(key, 'anchor', [a.seq, a.hash, a.count, a.time].join('\u001f'));
}

// The purpose is part of the message, so an entry MAC can never pass for a seal or an anchor signature.
function mac(key: Buffer, purpose: string, text: string): string {
  return createHmac('sha256', key).update(`${purpose}\u001e${text}`).digest('hex');
}
