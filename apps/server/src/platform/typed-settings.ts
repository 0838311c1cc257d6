import { Ajv, type ErrorObject } from 'ajv';
import type { LocalizedText } from '@yunwei/contracts/i18n';
import { AppError } from './errors.js';
import { fieldProblemsOf } from './schema-errors.js';

/**
 * Per-type settings with secret fields — a check's settings, a notification channel's configuration:
 * validated against the type's JSON schema, secrets split off to be sealed, the type's own rules run
 * last. The pieces both share.
 */

/** Opened secret fields by name. */
export type Secrets = Record<string, string>;

/** Bodies are not coerced (a port "465" is a wrong type); unknown fields are refused, not dropped. */
export const settingsAjv = new Ajv({ allErrors: true, strict: false, coerceTypes: false, removeAdditional: false });

/** A rule of a type a schema cannot express, broken: `[field under the settings, what is wrong]`. */
export type RuleProblem = readonly [field: string, message: LocalizedText];

/** YW_VALIDATION naming every bad field under `prefix` (e.g. `body.config.port`), in both languages. */
export function schemaError(prefix: string, errors: readonly ErrorObject[]): AppError {
  const fields = fieldProblemsOf(prefix, errors);
  return new AppError('YW_VALIDATION', { field: fields[0]?.field, fields });
}

/** How one type's settings hold secrets (declared by each channel and probe type). */
export interface SecretLayout {
  /** Fields whose value is a secret: sealed at rest, never returned. */
  secretFields: readonly string[];
  /** Map fields whose values are secrets (webhook headers): names are shown, values sealed as `field.name`. */
  secretMaps?: readonly string[];
  /**
   * Fields saying where (and how) the secrets are sent: host, port, URL, TLS. When one changes, stored
   * secrets not entered again in the same request are dropped — otherwise whoever may edit the
   * settings could point them at their own server and press "test" to receive the secrets.
   */
  destinationFields?: readonly string[];
}

export interface SplitSecrets {
  plain: Record<string, unknown>;
  secrets: Secrets;
  /** Stored secrets dropped because a destination field changed (or the type did) and they were not entered again. */
  dropped: string[];
  /** A secret-map entry kept (`null`) that has no stored value: `[field, message]`. */
  problem?: RuleProblem;
}

/** Destination values compared: absent, `null` and `false` mean the same (a switch such as `ssl` left off). */
function same(a: unknown, b: unknown): boolean {
  const norm = (v: unknown) => (v === null || v === false ? undefined : v);
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

/**
 * Splits validated input into plain fields and secrets. A secret absent from the input keeps its
 * `current` value, `null` or `''` clears it, a string sets it. A secret map lists its entries: a string
 * sets one, `null` keeps its stored value, a name left out removes it; the map left out keeps them all.
 * With `previous` (the stored plain settings, on a change) a changed destination field drops every stored
 * secret not entered again, and says which in `dropped`.
 */
export function splitSecrets(input: Record<string, unknown>, layout: SecretLayout, current: Secrets, previous?: Record<string, unknown>): SplitSecrets {
  const maps = layout.secretMaps ?? [];
  const plain: Record<string, unknown> = {};
  const entered: Secrets = {};
  const removed = new Set<string>();
  for (const [key, value] of Object.entries(input)) {
    if (maps.includes(key)) {
      continue;
    } else if (!layout.secretFields.includes(key)) {
      plain[key] = value;
    } else if (value === null || value === '') {
      removed.add(key);
    } else {
      entered[key] = value as string;
    }
  }
  const moved = previous !== undefined && (layout.destinationFields ?? []).some((field) => !same(previous[field], plain[field]));
  const kept = moved ? {} : current;
  const secrets: Secrets = {};
  for (const field of layout.secretFields) {
    const value = entered[field] ?? (removed.has(field) ? undefined : kept[field]);
    if (value !== undefined) {
      secrets[field] = value;
    }
  }
  let problem: RuleProblem | undefined;
  for (const map of maps) {
    const prefix = `${map}.`;
    const given = input[map] as Record<string, string | null> | undefined;
    if (given === undefined) {
      for (const [key, value] of Object.entries(kept)) {
        if (key.startsWith(prefix)) {
          secrets[key] = value;
        }
      }
      continue;
    }
    for (const key of Object.keys(current)) {
      if (key.startsWith(prefix) && !(key.slice(prefix.length) in given)) {
        removed.add(key);
      }
    }
    for (const [name, value] of Object.entries(given)) {
      const key = prefix + name;
      if (typeof value === 'string' && value !== '') {
        secrets[key] = value;
      } else if (kept[key] !== undefined) {
        secrets[key] = kept[key];
      } else if (current[key] === undefined) {
        problem ??= [key, { zh: '没有已保存的值，请填写', en: 'has no stored value: enter one' }];
      }
    }
  }
  const dropped = Object.keys(current).filter((key) => secrets[key] === undefined && !removed.has(key));
  return { plain, secrets, dropped, ...(problem ? { problem } : {}) };
}

/** The settings a type runs with: plain fields, secrets, and secret maps put back together. */
export function joinSecrets(plain: Record<string, unknown>, secrets: Secrets, layout: SecretLayout): Record<string, unknown> {
  const joined: Record<string, unknown> = { ...plain };
  for (const field of layout.secretFields) {
    if (secrets[field] !== undefined) {
      joined[field] = secrets[field];
    }
  }
  for (const map of layout.secretMaps ?? []) {
    const entries = Object.entries(secrets).filter(([key]) => key.startsWith(`${map}.`));
    if (entries.length) {
      joined[map] = Object.fromEntries(entries.map(([key, value]) => [key.slice(map.length + 1), value]));
    }
  }
  return joined;
}

/** `{ password: true, 'headers.Authorization': true }`: which secrets are set, never their values. */
export function secretsSetOf(layout: SecretLayout, secrets: Secrets): Record<string, boolean> {
  const set: Record<string, boolean> = Object.fromEntries(layout.secretFields.map((field) => [field, secrets[field] !== undefined]));
  for (const map of layout.secretMaps ?? []) {
    for (const key of Object.keys(secrets).filter((k) => k.startsWith(`${map}.`))) {
      set[key] = true;
    }
  }
  return set;
}

/**
 * The plain settings as returned and audited: a secret map lists its names with `null` values (set,
 * write-only; sending `null` back keeps the stored value).
 */
export function maskedSettings(plain: Record<string, unknown>, secrets: Secrets, layout: SecretLayout): Record<string, unknown> {
  const masked: Record<string, unknown> = { ...plain };
  for (const map of layout.secretMaps ?? []) {
    const names = Object.keys(secrets)
      .filter((key) => key.startsWith(`${map}.`))
      .map((key) => key.slice(map.length + 1));
    if (names.length) {
      masked[map] = Object.fromEntries(names.map((name) => [name, null]));
    }
  }
  return masked;
}

/** The type's own rule failed (`[field, message]`): YW_VALIDATION naming `prefix.field`. */
export function ruleError(prefix: string, problem: RuleProblem): AppError {
  const field = `${prefix}.${problem[0]}`;
  return new AppError('YW_VALIDATION', { field, fields: [{ field, message: problem[1] }] });
}
