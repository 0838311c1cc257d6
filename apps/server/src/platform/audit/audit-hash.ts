import { createHash } from 'node:crypto';

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

/** SHA-256 over the previous hash and every field of the entry. */
export function entryHash(e: HashedFields): string {
  const text = [e.prev_hash, e.ts, e.actor_id ?? '', e.actor_name, e.ip, e.action, e.target_type, e.target_id ?? '', e.outcome, e.before, e.after].join('\u001f');
  return createHash('sha256').update(text).digest('hex');
}
