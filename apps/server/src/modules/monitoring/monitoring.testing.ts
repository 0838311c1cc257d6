/**
 * Test support for the monitoring tests (not used by the server): encoders for Prometheus
 * remote-write bodies (protobuf WriteRequest + snappy block format), written from the specifications
 * independently of the decoders, and helpers to call the API with an API token.
 */
import type { Kysely } from 'kysely';
import type { TestApp } from '../../../test/test-app.js';
import { dialectOf } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';

/**
 * Every stored sample, for tests that look at the tables: on SQLite `metric_sample` plus the samples
 * the writer has staged and not moved yet (`metric_sample_head`), which readers see as stored.
 * Use as `db.selectFrom(storedSamples(db).as('m'))`.
 */
export function storedSamples(db: Kysely<Database>) {
  const stored = db.selectFrom('metric_sample').select(['series_id', 'ts', 'value']);
  return dialectOf(db) === 'postgres' ? stored : stored.unionAll(db.selectFrom('metric_sample_head').select(['series_id', 'ts', 'value']));
}

// ------------------------------------------------------------------ snappy (block format) compressor

function pushVarint(out: number[], n: number): void {
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
}

function emitLiteral(out: number[], input: Uint8Array, start: number, end: number): void {
  let len = end - start;
  while (len > 0) {
    const n = Math.min(len, 65536);
    const m = n - 1;
    if (m < 60) {
      out.push(m << 2);
    } else if (m < 0x100) {
      out.push(60 << 2, m);
    } else {
      out.push(61 << 2, m & 0xff, m >> 8);
    }
    for (let i = 0; i < n; i++) {
      out.push(input[start + i]!);
    }
    start += n;
    len -= n;
  }
}

function emitCopy(out: number[], offset: number, len: number): void {
  while (len > 0) {
    if (len >= 4 && len <= 11 && offset < 2048) {
      out.push(1 | ((len - 4) << 2) | ((offset >> 8) << 5), offset & 0xff);
      return;
    }
    const n = Math.min(len, 64);
    out.push(2 | ((n - 1) << 2), offset & 0xff, offset >> 8);
    len -= n;
  }
}

/** Snappy block compression (greedy, 4-byte matches, offsets < 64 KiB). `copies: false` emits literals only. */
export function snappyCompress(input: Uint8Array, options: { copies?: boolean } = {}): Uint8Array {
  const out: number[] = [];
  pushVarint(out, input.length);
  if (options.copies === false) {
    emitLiteral(out, input, 0, input.length);
    return Uint8Array.from(out);
  }
  const table = new Map<number, number>();
  let literalStart = 0;
  let i = 0;
  while (i + 4 <= input.length) {
    const key = input[i]! | (input[i + 1]! << 8) | (input[i + 2]! << 16) | (input[i + 3]! * 0x1000000);
    const candidate = table.get(key);
    table.set(key, i);
    if (candidate !== undefined && i - candidate < 65536) {
      let len = 4;
      while (i + len < input.length && input[candidate + len] === input[i + len] && len < 64) {
        len++;
      }
      emitLiteral(out, input, literalStart, i);
      emitCopy(out, i - candidate, len);
      i += len;
      literalStart = i;
    } else {
      i++;
    }
  }
  emitLiteral(out, input, literalStart, input.length);
  return Uint8Array.from(out);
}

// ------------------------------------------------------------------ protobuf WriteRequest encoder

function key(field: number, wire: number): number[] {
  const out: number[] = [];
  pushVarint(out, field * 8 + wire);
  return out;
}

function lengthDelimited(field: number, bytes: ArrayLike<number>): number[] {
  const out = key(field, 2);
  pushVarint(out, bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    out.push(bytes[i]!);
  }
  return out;
}

export interface WriteSeries {
  labels: Record<string, string>;
  samples: { ts: number; value: number }[];
}

export function encodeWriteRequest(series: WriteSeries[], options: { unknownFields?: boolean } = {}): Uint8Array {
  const out: number[] = [];
  for (const s of series) {
    const ts: number[] = [];
    for (const [name, value] of Object.entries(s.labels)) {
      ts.push(...lengthDelimited(1, [...lengthDelimited(1, Buffer.from(name)), ...lengthDelimited(2, Buffer.from(value))]));
    }
    for (const p of s.samples) {
      const sample = key(1, 1);
      const b = Buffer.alloc(8);
      b.writeDoubleLE(p.value);
      sample.push(...b);
      sample.push(...key(2, 0));
      pushVarint(sample, p.ts);
      ts.push(...lengthDelimited(2, sample));
    }
    if (options.unknownFields) {
      ts.push(...key(9, 0), 150, 1); // an unknown varint field
      ts.push(...lengthDelimited(3, [1, 2, 3])); // an "exemplar"
    }
    out.push(...lengthDelimited(1, ts));
  }
  if (options.unknownFields) {
    out.push(...lengthDelimited(3, Buffer.from('metadata')));
    out.push(...key(15, 5), 1, 2, 3, 4);
  }
  return Uint8Array.from(out);
}

export function remoteWriteBody(series: WriteSeries[], options: { unknownFields?: boolean; copies?: boolean } = {}): Buffer {
  return Buffer.from(snappyCompress(encodeWriteRequest(series, options), options));
}

// ------------------------------------------------------------------ API helpers

/** An API token holding `permissions` (its owner holds exactly those, plus the right to make tokens). */
export async function apiToken(t: TestApp, permissions: string[]): Promise<string> {
  const user = await t.newUser({ permissions: ['identity.token.use', ...permissions] });
  const s = await t.signIn(user);
  const res = await s.request('POST', '/api/tokens', { name: 'monitoring test', scopes: permissions, expiresInDays: 1 });
  if (res.status !== 200) {
    throw new Error(`token creation failed: ${res.body}`);
  }
  return res.json.secret as string;
}

export interface Reply {
  status: number;
  json: any;
  body: string;
  headers: Record<string, unknown>;
}

/** A call with only `Authorization: Bearer <token>` (what the agent, scripts and Prometheus send). */
export async function bearer(t: TestApp, token: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await t.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}`, 'accept-language': 'en', ...headers },
    ...(body === undefined ? {} : { payload: body as string }),
  });
  let json: unknown;
  try {
    json = res.json();
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, json, body: res.body, headers: res.headers as Record<string, unknown> };
}

/** A query string from parameters (arrays repeat the key). */
export function qs(params: Record<string, string | number | string[] | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (Array.isArray(v)) {
      v.forEach((x) => q.append(k, x));
    } else if (v !== undefined) {
      q.set(k, String(v));
    }
  }
  return q.toString();
}
