import type { Kysely } from 'kysely';
import { ALERT_NAME_LABELS, alertObjectName, type RuleTarget } from '@yunwei/contracts/alerting';
import { formatCheckMessage, type CheckMessageParams } from '@yunwei/contracts/check-messages';
import type { LocalizedText } from '@yunwei/contracts/i18n';
import type { Database } from '../../db/schema.js';

/**
 * People read names, never ids. An alert's identity labels carry ids (`ci`, `check`, `rule`), which
 * stay for links, matchers and webhooks; the names they stand for are looked up when the alert
 * fires (and at each later transition) and stored on the alert as these labels, outside its
 * fingerprint — so a renamed or deleted CI still reads as it was called when it broke.
 */
export const NAME_LABELS = ALERT_NAME_LABELS;
export type NameLabel = (typeof NAME_LABELS)[number];

/** The id label each name label stands for (the rule's name is `alertname`). */
export const NAMED_ID_LABELS: Readonly<Record<string, NameLabel | 'alertname'>> = { ci: 'ci_name', check: 'check_name', rule: 'alertname' };

/** Names are re-read after this long (a rename shows on the next transition after it). */
const TTL_MS = 60_000;
const CHUNK = 500;

interface Entry {
  name: string | null;
  at: number;
}

/**
 * The names of CIs and checks by id, cached for a minute. `prepare` reads, in a few queries, the
 * ids a cycle needs that are not known (or are stale); `namesOf` is then synchronous, as the
 * alert state machine is.
 */
export class NameBook {
  readonly #cis = new Map<string, Entry>();
  readonly #checks = new Map<string, Entry>();
  /** What each check's latest result said, read afresh at every `prepare` (it changes with every run). */
  #reasons = new Map<string, LocalizedText>();

  constructor(private readonly db: Kysely<Database>) {}

  async prepare(items: Iterable<{ labels: Readonly<Record<string, string>>; target?: RuleTarget }>, now: number): Promise<void> {
    const cis = new Set<string>();
    const checks = new Set<string>();
    for (const { labels, target } of items) {
      if (labels.ci) {
        cis.add(labels.ci);
      }
      if (labels.check) {
        checks.add(labels.check);
      }
      if (target?.kind === 'business') {
        cis.add(target.ciId);
      }
    }
    await this.#load(this.#cis, [...cis], now, (ids) => this.db.selectFrom('cmdb_ci').select(['id', 'name']).where('id', 'in', ids).execute());
    await this.#load(this.#checks, [...checks], now, (ids) => this.db.selectFrom('check_definition').select(['id', 'name']).where('id', 'in', ids).execute());
    await this.#loadReasons([...checks]);
  }

  async #loadReasons(ids: string[]): Promise<void> {
    const reasons = new Map<string, LocalizedText>();
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await this.db.selectFrom('check_state').select(['check_id', 'message', 'message_code', 'message_params']).where('check_id', 'in', ids.slice(i, i + CHUNK)).execute();
      for (const r of rows) {
        const params = r.message_params ? (JSON.parse(r.message_params) as CheckMessageParams) : null;
        const say = (locale: 'zh-CN' | 'en') => (r.message_code ? formatCheckMessage(r.message_code, params, locale) : null) ?? r.message ?? '';
        reasons.set(r.check_id, { zh: say('zh-CN'), en: say('en') });
      }
    }
    this.#reasons = reasons;
  }

  /** What the latest result of the alert's check said, in both languages (null: not about a check, or it never ran). */
  reasonOf(labels: Readonly<Record<string, string>>): LocalizedText | null {
    return labels.check ? (this.#reasons.get(labels.check) ?? null) : null;
  }

  async #load(cache: Map<string, Entry>, ids: string[], now: number, read: (ids: string[]) => Promise<{ id: string; name: string }[]>): Promise<void> {
    const wanted = ids.filter((id) => {
      const hit = cache.get(id);
      return !hit || now - hit.at >= TTL_MS || hit.at > now;
    });
    for (let i = 0; i < wanted.length; i += CHUNK) {
      const chunk = wanted.slice(i, i + CHUNK);
      const found = new Map((await read(chunk)).map((r) => [r.id, r.name]));
      for (const id of chunk) {
        cache.set(id, { name: found.get(id) ?? null, at: now });
      }
    }
    if (cache.size > 100_000) {
      cache.clear(); // a bound, not a policy: the next cycle reads what it needs again
    }
  }

  /**
   * The name labels for an alert with these labels (of a rule with this target). A name not found
   * (the CI or check is gone) is taken from `before`, the alert's labels as last stored.
   */
  namesOf(labels: Readonly<Record<string, string>>, target: RuleTarget | undefined, before?: Readonly<Record<string, string>>): Partial<Record<NameLabel, string>> {
    const out: Partial<Record<NameLabel, string>> = {};
    const put = (key: NameLabel, name: string | null | undefined) => {
      const value = name ?? before?.[key];
      if (value) {
        out[key] = value;
      }
    };
    if (labels.ci) {
      put('ci_name', this.#cis.get(labels.ci)?.name);
    }
    if (labels.check) {
      put('check_name', this.#checks.get(labels.check)?.name);
    }
    if (target?.kind === 'business') {
      put('business_name', this.#cis.get(target.ciId)?.name);
    }
    return out;
  }
}

/** What an alert is about, by name (shared with the web UI). */
export const objectName = alertObjectName;
