/** A notification channel. `config` holds no secrets; those are sealed together in `secrets`. */
export interface NotifyChannelTable {
  id: string;
  name: string;
  type: string;
  /** JSON of the type's configuration, secrets removed. */
  config: string;
  /** `ctx.secrets`-sealed JSON object of the secret fields that are set, or null. */
  secrets: string | null;
  /** 'zh-CN' | 'en': the language of the messages it sends. */
  locale: string;
  enabled: number;
  /** 1: a default channel (the built-in default notification policy sends critical alerts to it). */
  is_default: number;
  /** Deliveries per rate key per minute; more are suppressed. */
  rate_per_minute: number;
  max_attempts: number;
  created_at: number;
  updated_at: number;
}

/** The outbox and the delivery log in one: a row per message per channel, from queued to its outcome. */
export interface NotifyDeliveryTable {
  id: string;
  /** Plain text (no foreign key): the log outlives a deleted channel. */
  channel_id: string;
  /** queued | sending | sent | retrying | failed | suppressed */
  status: string;
  attempts: number;
  /** When a queued or retrying row is due. */
  next_attempt_at: number | null;
  /** While `sending`: after this another worker may take the row back (its sender died). */
  lease_until: number | null;
  last_error: string | null;
  /** JSON LocalizedMessage. */
  message: string;
  /** JSON array of strings. */
  recipients: string;
  rate_key: string | null;
  source_kind: string | null;
  source_id: string | null;
  created_at: number;
  sent_at: number | null;
  duration_ms: number | null;
}

declare module '../../db/schema.js' {
  interface Database {
    notify_channel: NotifyChannelTable;
    notify_delivery: NotifyDeliveryTable;
  }
}
