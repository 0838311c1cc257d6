import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import Type, { type Static } from 'typebox';
import { parse as parseYaml } from 'yaml';
import { ALERTING_LIMITS } from '@yunwei/contracts/alerting';
import { parseNetworks } from '../platform/net/outbound-policy.js';
import { DEFAULT_TIME_ZONE, isTimeZone, normalisePublicUrl, publicUrlProblem } from '../platform/notify/message-format.js';

/**
 * Start-up settings. This file is the only reader of `process.env`: settings come from an optional
 * file (`YUNWEI_CONFIG`, JSON or YAML) overlaid by `YUNWEI_*` variables, are validated, and frozen.
 * Everything an administrator changes at run time (password policy, …) lives in the database instead.
 */
export const ConfigSchema = Type.Object(
  {
    host: Type.String({ minLength: 1 }),
    port: Type.Integer({ minimum: 0, maximum: 65535 }),
    dataDir: Type.String({ minLength: 1 }),
    /**
     * Uploaded files, generated reports and the audit anchors (the file store). In a cluster, a
     * directory every node mounts (NFS, a NAS share); default: the data directory.
     */
    filesDir: Type.String({ minLength: 1 }),
    /** `postgres://user@host/db` or `sqlite:<file>`; default: SQLite in the data dir. */
    databaseUrl: Type.String({ minLength: 1 }),
    /** Initial password of `admin` on first start; if absent one is generated and printed once. */
    adminPassword: Type.Optional(Type.String({ minLength: 8, maxLength: 256 })),
    logLevel: Type.Union([Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'), Type.Literal('debug'), Type.Literal('trace'), Type.Literal('silent')]),
    /** 64 hex chars (32 bytes) for AES-256-GCM of secrets at rest; default: `<dataDir>/master.key`, created on first start. */
    masterKey: Type.Optional(Type.String({ pattern: '^[0-9a-fA-F]{64}$' })),
    /** Set when behind a reverse proxy so that client IPs in the audit trail are right. */
    trustProxy: Type.Boolean(),
    /** Send cookies with `Secure` (behind HTTPS). */
    secureCookies: Type.Boolean(),
    /** Built web UI to serve; empty = API only. */
    webDir: Type.String(),
    /** Login attempts per minute per client address. */
    loginRateLimit: Type.Integer({ minimum: 1, maximum: 100000 }),
    /** How often the job runner looks for due jobs. */
    jobPollMs: Type.Integer({ minimum: 10, maximum: 60000 }),
    /** Cluster: a node silent for this long is gone, its leases free and its share of work moves (beats every third of it). */
    clusterLeaseMs: Type.Integer({ minimum: 300, maximum: 300000 }),
    /** Where `npm run skills` writes its report, read by the capability matrix. */
    skillsReport: Type.String(),
    /** Agentless checks running at once, at most (the check scheduler's concurrency limit). */
    checkConcurrency: Type.Integer({ minimum: 1, maximum: 10000 }),
    /** Seconds between two evaluations of every alert rule. */
    alertEvalIntervalSeconds: Type.Integer({ minimum: 1, maximum: 3600 }),
    /** Outbound network policy (checks, notification channels, scrapes): when non-empty, only these CIDR networks (comma or space separated) may be reached. */
    outboundAllow: Type.String({ maxLength: 10000 }),
    /** CIDR networks never reached by checks, channels and scrapes (wins over the allow list). */
    outboundDeny: Type.String({ maxLength: 10000 }),
    /** Notification channels may reach loopback and link-local addresses (127.0.0.0/8, ::1, 169.254.0.0/16, fe80::/10); refused by default. */
    notifyAllowLocal: Type.Boolean(),
    /** Minutes between two exports of the signed audit chain head (0: none). */
    auditAnchorIntervalMinutes: Type.Integer({ minimum: 0, maximum: 1440 }),
    /** Append-only JSON-lines file the signed heads go to; default `<filesDir>/audit-anchors.jsonl`. */
    auditAnchorFile: Type.Optional(Type.String({ minLength: 1 })),
    /** Where people open Yunwei (e.g. `https://ops.example.com`): links in notifications are made under it. Unset: relative links, and the UI warns. */
    publicUrl: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    /** IANA time zone of times in notifications (`2026-12-06 20:15:03 (UTC+08:00)`). */
    timeZone: Type.String({ minLength: 1, maxLength: 100 }),
    /** Inbound e-mail (SMTP receiver): the port it listens on; unset = off (the default). 0 = any free port (tests). */
    mailReceiverPort: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
    /** The address it listens on (default every interface: the organisation's mail relay is another machine). */
    mailReceiverHost: Type.String({ minLength: 1, maxLength: 255 }),
    /** Recipient domains accepted (comma or space separated); others are refused at RCPT with 550. Empty: every domain. */
    mailReceiverDomains: Type.String({ maxLength: 10000 }),
    /** CIDR networks that may connect (the mail relay), comma or space separated; empty: any address. */
    mailReceiverAllow: Type.String({ maxLength: 10000 }),
    /** Largest message accepted, in bytes (larger: 552 at DATA, nothing stored). */
    mailReceiverMaxBytes: Type.Integer({ minimum: 1024, maximum: 100 * 1024 * 1024 }),
    /** PEM files: with both set, the receiver offers STARTTLS. */
    mailReceiverTlsCert: Type.Optional(Type.String({ minLength: 1 })),
    mailReceiverTlsKey: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);
export type Config = Readonly<Static<typeof ConfigSchema>>;

const ENV: Record<string, keyof Config> = {
  YUNWEI_HOST: 'host',
  YUNWEI_PORT: 'port',
  YUNWEI_DATA_DIR: 'dataDir',
  YUNWEI_FILES_DIR: 'filesDir',
  YUNWEI_DATABASE_URL: 'databaseUrl',
  YUNWEI_ADMIN_PASSWORD: 'adminPassword',
  YUNWEI_LOG_LEVEL: 'logLevel',
  YUNWEI_MASTER_KEY: 'masterKey',
  YUNWEI_TRUST_PROXY: 'trustProxy',
  YUNWEI_SECURE_COOKIES: 'secureCookies',
  YUNWEI_WEB_DIR: 'webDir',
  YUNWEI_LOGIN_RATE_LIMIT: 'loginRateLimit',
  YUNWEI_JOB_POLL_MS: 'jobPollMs',
  YUNWEI_CLUSTER_LEASE_MS: 'clusterLeaseMs',
  YUNWEI_SKILLS_REPORT: 'skillsReport',
  YUNWEI_CHECK_CONCURRENCY: 'checkConcurrency',
  YUNWEI_ALERT_EVAL_INTERVAL: 'alertEvalIntervalSeconds',
  YUNWEI_AUDIT_ANCHOR_INTERVAL_MINUTES: 'auditAnchorIntervalMinutes',
  YUNWEI_AUDIT_ANCHOR_FILE: 'auditAnchorFile',
  YUNWEI_OUTBOUND_ALLOW: 'outboundAllow',
  YUNWEI_OUTBOUND_DENY: 'outboundDeny',
  YUNWEI_NOTIFY_ALLOW_LOCAL: 'notifyAllowLocal',
  YUNWEI_PUBLIC_URL: 'publicUrl',
  YUNWEI_TIME_ZONE: 'timeZone',
  YUNWEI_MAIL_RECEIVER_PORT: 'mailReceiverPort',
  YUNWEI_MAIL_RECEIVER_HOST: 'mailReceiverHost',
  YUNWEI_MAIL_RECEIVER_DOMAINS: 'mailReceiverDomains',
  YUNWEI_MAIL_RECEIVER_ALLOW: 'mailReceiverAllow',
  YUNWEI_MAIL_RECEIVER_MAX_BYTES: 'mailReceiverMaxBytes',
  YUNWEI_MAIL_RECEIVER_TLS_CERT: 'mailReceiverTlsCert',
  YUNWEI_MAIL_RECEIVER_TLS_KEY: 'mailReceiverTlsKey',
};

// An empty variable means "not set", except where empty is itself a setting (YUNWEI_WEB_DIR='': API only).
const EMPTY_IS_A_VALUE: ReadonlySet<keyof Config> = new Set(['webDir']);

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const repoRoot = path.resolve(import.meta.dirname, '../../../..');

function defaults(): Omit<Config, 'databaseUrl' | 'adminPassword' | 'masterKey' | 'publicUrl' | 'filesDir' | 'mailReceiverPort' | 'mailReceiverTlsCert' | 'mailReceiverTlsKey'> {
  return {
    host: '127.0.0.1',
    port: 8080,
    dataDir: './data',
    logLevel: 'info',
    trustProxy: false,
    secureCookies: false,
    webDir: path.join(repoRoot, 'apps/web/dist'),
    loginRateLimit: 20,
    jobPollMs: 1000,
    clusterLeaseMs: 15_000,
    skillsReport: path.join(repoRoot, 'reports/skills.json'),
    checkConcurrency: 64,
    alertEvalIntervalSeconds: ALERTING_LIMITS.defaultIntervalSeconds,
    auditAnchorIntervalMinutes: 60,
    outboundAllow: '',
    outboundDeny: '',
    notifyAllowLocal: false,
    timeZone: DEFAULT_TIME_ZONE,
    mailReceiverHost: '0.0.0.0',
    mailReceiverDomains: '',
    mailReceiverAllow: '',
    mailReceiverMaxBytes: 10 * 1024 * 1024,
  };
}

/** Reads, validates and freezes the configuration. `overrides` win over everything (tests). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const fromFile = env.YUNWEI_CONFIG ? readConfigFile(env.YUNWEI_CONFIG) : {};
  const fromEnv: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(ENV)) {
    const value = env[name];
    if (value !== undefined && (value !== '' || EMPTY_IS_A_VALUE.has(key))) {
      fromEnv[key] = coerce(name, key, value);
    }
  }
  const merged: Record<string, unknown> = { ...defaults(), ...fromFile, ...fromEnv, ...overrides };
  const dataDir = path.resolve(String(merged.dataDir));
  merged.dataDir = dataDir;
  merged.databaseUrl ??= `sqlite:${path.join(dataDir, 'yunwei.db')}`;
  merged.filesDir = path.resolve(String(merged.filesDir ?? dataDir));

  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(ConfigSchema);
  if (!validate(merged)) {
    const problems = (validate.errors ?? []).map((e) => {
      const key = e.instancePath.replace(/^\//, '') || String(e.params.additionalProperty ?? e.params.missingProperty ?? '');
      const envName = Object.keys(ENV).find((n) => ENV[n] === key);
      return `${key}${envName ? ` (${envName})` : ''}: ${e.message ?? 'invalid'}`;
    });
    throw new ConfigError(`invalid configuration — ${problems.join('; ')}`);
  }
  for (const [key, envName] of [['outboundAllow', 'YUNWEI_OUTBOUND_ALLOW'], ['outboundDeny', 'YUNWEI_OUTBOUND_DENY'], ['mailReceiverAllow', 'YUNWEI_MAIL_RECEIVER_ALLOW']] as const) {
    try {
      parseNetworks(String(merged[key]));
    } catch (error) {
      throw new ConfigError(`invalid configuration — ${key} (${envName}): ${(error as Error).message}`);
    }
  }
  if (merged.publicUrl !== undefined) {
    const problem = publicUrlProblem(String(merged.publicUrl));
    if (problem) {
      throw new ConfigError(`invalid configuration — publicUrl (YUNWEI_PUBLIC_URL): ${problem}, got "${String(merged.publicUrl)}"`);
    }
    merged.publicUrl = normalisePublicUrl(String(merged.publicUrl));
  }
  if ((merged.mailReceiverTlsCert === undefined) !== (merged.mailReceiverTlsKey === undefined)) {
    throw new ConfigError('invalid configuration — mailReceiverTlsCert / mailReceiverTlsKey (YUNWEI_MAIL_RECEIVER_TLS_CERT / YUNWEI_MAIL_RECEIVER_TLS_KEY): set both (STARTTLS) or neither');
  }
  if (!isTimeZone(String(merged.timeZone))) {
    throw new ConfigError(`invalid configuration — timeZone (YUNWEI_TIME_ZONE): not a time zone known to Intl, got "${String(merged.timeZone)}" (e.g. Asia/Shanghai, UTC)`);
  }
  return Object.freeze(merged as Config);
}

function readConfigFile(file: string): Record<string, unknown> {
  if (!existsSync(file)) {
    throw new ConfigError(`YUNWEI_CONFIG: file not found: ${file}`);
  }
  const text = readFileSync(file, 'utf8');
  try {
    const data: unknown = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new Error('the file must hold an object of settings');
    }
    return data as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(`YUNWEI_CONFIG: cannot read ${file}: ${(error as Error).message}`);
  }
}

function coerce(name: string, key: keyof Config, value: string): unknown {
  const type = (ConfigSchema.properties[key] as { type?: string }).type;
  if (type === 'integer') {
    if (!/^-?\d+$/.test(value)) {
      throw new ConfigError(`invalid configuration — ${key} (${name}): must be an integer, got "${value}"`);
    }
    return Number(value);
  }
  if (type === 'boolean') {
    if (!/^(true|false|1|0)$/i.test(value)) {
      throw new ConfigError(`invalid configuration — ${key} (${name}): must be true or false, got "${value}"`);
    }
    return /^(true|1)$/i.test(value);
  }
  return value;
}
