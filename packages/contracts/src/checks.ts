import Type, { type Static } from 'typebox';
import type { PermissionId } from './access.js';
import { Epoch, Id, Name } from './common.js';

/**
 * Agentless checks (L3-2.1.1, key objects): ICMP, TCP, HTTP(S), DNS, SNMP, PostgreSQL and MySQL/MariaDB
 * health, run by the server on a schedule. A check's result is its latest status plus a bounded
 * history, and samples in the metrics store: `check_up`, `check_latency_seconds`, `check_tls_days_left`,
 * `db_*`, `snmp_*`, labelled `check` (its id), `type`, and `ci` when attached to a CI.
 *
 * Secrets (community strings, SNMPv3 passwords, database passwords) are write-only: sent in
 * `settings`, sealed at rest, never returned — a check says which are set in `secretsSet`.
 */
export const CHECKS_PERMISSIONS = {
  checkRead: 'checks.check.read',
  checkWrite: 'checks.check.write',
  checkRun: 'checks.check.run',
} as const satisfies Record<string, PermissionId>;

export const CHECK_TYPES = ['icmp', 'tcp', 'http', 'dns', 'snmp', 'postgres', 'mysql'] as const;
export type CheckType = (typeof CHECK_TYPES)[number];

/** `pending`: the last probes failed, but not yet more times in a row than the check's retries (not down yet). */
export const CHECK_STATUSES = ['up', 'pending', 'down', 'unknown'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export const CHECK_LIMITS = {
  minIntervalSeconds: 5,
  maxIntervalSeconds: 86_400,
  minTimeoutMs: 100,
  maxTimeoutMs: 120_000,
  /** Result history is kept this long. */
  historyDays: 7,
  /** Failed probes in a row before a check counts as down (and alerts): at most this many. */
  maxRetries: 10,
  /** A new check's retries: one failed probe alone (a blip) neither turns it red nor pages anyone. */
  defaultRetries: 1,
  /** Results in a check's heartbeat bar. */
  heartbeatSize: 40,
  /** Hourly up/total counts are kept this long (the 30-day uptime). */
  uptimeDays: 31,
} as const;

/** The setting names that are secrets, per type (write-only). */
export const CHECK_SECRET_FIELDS = {
  icmp: [],
  tcp: [],
  http: [],
  dns: [],
  snmp: ['community', 'authPassword', 'privPassword'],
  postgres: ['password'],
  mysql: ['password'],
} as const satisfies Record<CheckType, readonly string[]>;

/**
 * Where (and how) a check sends its secrets. Changing one of these (or the type) drops the stored
 * secrets that are not entered again in the same request: they cannot be redirected to another host.
 */
export const CHECK_DESTINATION_FIELDS = {
  icmp: ['host'],
  tcp: ['host', 'port'],
  http: ['url'],
  dns: ['server'],
  snmp: ['host', 'port'],
  postgres: ['host', 'port', 'ssl'],
  mysql: ['host', 'port'],
} as const satisfies Record<CheckType, readonly string[]>;

// ---------------------------------------------------------------- settings per type

/** A host name or an IP address (no leading dash: it is passed to `ping` as an argument). */
const Host = Type.String({ minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9_:.\\[\\]%][A-Za-z0-9_:.\\-\\[\\]%]*$' });
const Port = Type.Integer({ minimum: 1, maximum: 65535 });
/** A secret: a string sets it, `null` clears it, absent keeps it (on change). */
const Secret = Type.Union([Type.String({ maxLength: 256 }), Type.Null()]);

export const IcmpSettings = Type.Object(
  {
    host: Host,
    /** Echo requests per run (default 3). */
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
  },
  { additionalProperties: false },
);
export type IcmpSettings = Static<typeof IcmpSettings>;

export const TcpSettings = Type.Object({ host: Host, port: Port }, { additionalProperties: false });
export type TcpSettings = Static<typeof TcpSettings>;

export const HttpSettings = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2000 }),
    method: Type.Optional(Type.Union([Type.Literal('GET'), Type.Literal('HEAD')])),
    /** Status codes that mean UP (default: 200–399). */
    expectedStatus: Type.Optional(Type.Array(Type.Integer({ minimum: 100, maximum: 599 }), { minItems: 1, maxItems: 50 })),
    /** The body must contain this (substring) or match it (regex). */
    bodyMatch: Type.Optional(Type.String({ maxLength: 1000 })),
    bodyMatchKind: Type.Optional(Type.Union([Type.Literal('substring'), Type.Literal('regex')])),
    /** Follow redirects (default true), at most `maxRedirects` (default 5). */
    followRedirects: Type.Optional(Type.Boolean()),
    maxRedirects: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })),
    /** Accept any TLS certificate (self-signed, expired, wrong name); days to expiry are still reported. */
    insecureSkipVerify: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type HttpSettings = Static<typeof HttpSettings>;

export const DNS_RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'NS', 'TXT', 'SRV', 'PTR', 'SOA'] as const;
export const DnsSettings = Type.Object(
  {
    /** The name to resolve. */
    name: Type.String({ minLength: 1, maxLength: 253 }),
    recordType: Type.Optional(Type.Enum(DNS_RECORD_TYPES)),
    /** Resolver `ip` or `ip:port` (IPv6: `[ip]:port`); default: the system's resolvers. */
    server: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    /** One of the answers must equal this (case-insensitive). */
    expected: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type DnsSettings = Static<typeof DnsSettings>;

export const SnmpSettings = Type.Object(
  {
    host: Host,
    port: Type.Optional(Port),
    version: Type.Union([Type.Literal('2c'), Type.Literal('3')]),
    /** v2c. */
    community: Type.Optional(Secret),
    /** v3 (USM). */
    username: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    securityLevel: Type.Optional(Type.Union([Type.Literal('noAuthNoPriv'), Type.Literal('authNoPriv'), Type.Literal('authPriv')])),
    authProtocol: Type.Optional(Type.Union([Type.Literal('md5'), Type.Literal('sha'), Type.Literal('sha256'), Type.Literal('sha512')])),
    authPassword: Type.Optional(Secret),
    privProtocol: Type.Optional(Type.Union([Type.Literal('des'), Type.Literal('aes'), Type.Literal('aes256b'), Type.Literal('aes256r')])),
    privPassword: Type.Optional(Secret),
    /** What to read besides sysUpTime/sysName (default: all). */
    interfaces: Type.Optional(Type.Boolean()),
    storage: Type.Optional(Type.Boolean()),
    processors: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type SnmpSettings = Static<typeof SnmpSettings>;

export const PostgresSettings = Type.Object(
  {
    host: Host,
    port: Type.Optional(Port),
    database: Type.String({ minLength: 1, maxLength: 63 }),
    user: Type.String({ minLength: 1, maxLength: 63 }),
    password: Type.Optional(Secret),
    ssl: Type.Optional(Type.Boolean()),
    /** An active query running longer than this is slow (default 5 s). */
    slowQuerySeconds: Type.Optional(Type.Number({ minimum: 0.1, maximum: 86_400 })),
    /** Report replication lag (a standby). */
    replica: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type PostgresSettings = Static<typeof PostgresSettings>;

export const MysqlSettings = Type.Object(
  {
    host: Host,
    port: Type.Optional(Port),
    /** The schema whose size is reported (default: every schema). */
    database: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    user: Type.String({ minLength: 1, maxLength: 80 }),
    password: Type.Optional(Secret),
    slowQuerySeconds: Type.Optional(Type.Number({ minimum: 0.1, maximum: 86_400 })),
    replica: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type MysqlSettings = Static<typeof MysqlSettings>;

export const CHECK_SETTINGS_SCHEMAS = {
  icmp: IcmpSettings,
  tcp: TcpSettings,
  http: HttpSettings,
  dns: DnsSettings,
  snmp: SnmpSettings,
  postgres: PostgresSettings,
  mysql: MysqlSettings,
} as const satisfies Record<CheckType, Type.TSchema>;

export interface CheckSettingsOf {
  icmp: IcmpSettings;
  tcp: TcpSettings;
  http: HttpSettings;
  dns: DnsSettings;
  snmp: SnmpSettings;
  postgres: PostgresSettings;
  mysql: MysqlSettings;
}

// ---------------------------------------------------------------- checks

/** Parameters of a message code (see check-messages.ts). */
const MessageParamsSchema = Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]));
const Retries = Type.Integer({ minimum: 0, maximum: CHECK_LIMITS.maxRetries, description: 'failed probes in a row tolerated before the check counts as down and alerts' });
/** Notification channels its alerts go to at once (ids; names in the UI). Empty: the general notification policies decide. */
const NotifyChannelIds = Type.Array(Id, { maxItems: 20, uniqueItems: true });

const CheckTypeSchema = Type.Enum(CHECK_TYPES);
const Interval = Type.Integer({ minimum: CHECK_LIMITS.minIntervalSeconds, maximum: CHECK_LIMITS.maxIntervalSeconds });
const Timeout = Type.Integer({ minimum: CHECK_LIMITS.minTimeoutMs, maximum: CHECK_LIMITS.maxTimeoutMs });
/** Settings of the check's type (validated per type; see the `*Settings` schemas). */
const SettingsInput = Type.Record(Type.String(), Type.Unknown(), { description: 'settings of the type: IcmpSettings, TcpSettings, HttpSettings, …' });

export const Check = Type.Object({
  id: Id,
  name: Type.String(),
  type: CheckTypeSchema,
  /** Without its secrets. */
  settings: Type.Record(Type.String(), Type.Unknown()),
  /** Which secret settings are set (e.g. `{ password: true }`). */
  secretsSet: Type.Record(Type.String(), Type.Boolean()),
  /** On a change only: stored secrets dropped because the destination (host, port, …) or type changed and they were not entered again. */
  secretsDropped: Type.Optional(Type.Array(Type.String())),
  /** What it probes, in one line (`tcp://db1:5432`). */
  target: Type.String(),
  ciId: Type.Union([Id, Type.Null()]),
  ciName: Type.Union([Type.String(), Type.Null()]),
  /** The org unit the check belongs to (its CI's, or its own without a CI); null = the whole organisation. */
  orgUnitId: Type.Union([Id, Type.Null()]),
  orgUnitName: Type.Union([Type.String(), Type.Null()]),
  intervalSeconds: Type.Integer(),
  timeoutMs: Type.Integer(),
  enabled: Type.Boolean(),
  status: Type.Enum(CHECK_STATUSES),
  lastCheckedAt: Type.Union([Epoch, Type.Null()]),
  latencyMs: Type.Union([Type.Number(), Type.Null()]),
  /** The last result's message in English (older results have only this); `messageCode` + `messageParams` say it in any language (see check-messages.ts). */
  message: Type.Union([Type.String(), Type.Null()]),
  messageCode: Type.Union([Type.String(), Type.Null()]),
  messageParams: Type.Union([MessageParamsSchema, Type.Null()]),
  /** The values of the last result (metric name or `metric{label}` → value). */
  values: Type.Record(Type.String(), Type.Number()),
  /** Days until the HTTPS certificate expires, from the last result (null: not HTTPS, or no certificate seen). */
  tlsDaysLeft: Type.Union([Type.Number(), Type.Null()]),
  /** Failed probes in a row tolerated before the check counts as down and its alert rule fires. */
  retries: Type.Integer(),
  /** The check's own alert rule (kind `check`, this check only; consecutive failures = retries + 1). */
  alertRule: Type.Union([Type.Object({ id: Id, name: Type.String(), nameEn: Type.Union([Type.String(), Type.Null()]), consecutiveDown: Type.Integer(), enabled: Type.Boolean() }), Type.Null()]),
  /** The notification policy routing that rule's alerts (none: they follow the general policies). */
  notificationPolicy: Type.Union([Type.Object({ id: Id, name: Type.String(), nameEn: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]),
  /** Channels the policy notifies at once, as the policy is now (an administrator may have changed it by hand). */
  notifyChannels: Type.Array(Type.Object({ id: Id, name: Type.String() })),
  /** The latest results, oldest first (at most `CHECK_LIMITS.heartbeatSize`, within the last 50 intervals). */
  heartbeat: Type.Array(Type.Object({ at: Epoch, status: Type.Union([Type.Literal('up'), Type.Literal('pending'), Type.Literal('down')]), latencyMs: Type.Union([Type.Number(), Type.Null()]), message: Type.Union([Type.String(), Type.Null()]), messageCode: Type.Union([Type.String(), Type.Null()]), messageParams: Type.Union([MessageParamsSchema, Type.Null()]) })),
  /** Share of UP results, 0–1, over the current hour and the 23 (day) or 719 (month) before it; null: no result then. */
  uptime: Type.Object({ day: Type.Union([Type.Number(), Type.Null()]), month: Type.Union([Type.Number(), Type.Null()]) }),
  createdAt: Epoch,
  updatedAt: Epoch,
});
export type Check = Static<typeof Check>;

export const CheckListQuery = Type.Object(
  {
    ciId: Type.Optional(Id),
    type: Type.Optional(CheckTypeSchema),
    status: Type.Optional(Type.Enum(CHECK_STATUSES)),
    enabled: Type.Optional(Type.Boolean()),
    /** In the name or target. */
    q: Type.Optional(Type.String({ maxLength: 200 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);
export type CheckListQuery = Static<typeof CheckListQuery>;
export const CheckList = Type.Object({ items: Type.Array(Check), total: Type.Integer() });
export type CheckList = Static<typeof CheckList>;

export const CheckCreate = Type.Object(
  {
    name: Name(100),
    type: CheckTypeSchema,
    settings: SettingsInput,
    ciId: Type.Optional(Type.Union([Id, Type.Null()])),
    /**
     * Only for a check without a CI (one on a CI belongs to the CI's unit). Required unless your grant
     * reaches the whole organisation; null = the whole organisation.
     */
    orgUnitId: Type.Optional(Type.Union([Id, Type.Null()])),
    /** Default 60. */
    intervalSeconds: Type.Optional(Interval),
    /** Default 10,000 (at most the interval). */
    timeoutMs: Type.Optional(Timeout),
    enabled: Type.Optional(Type.Boolean()),
    /** Default `CHECK_LIMITS.defaultRetries`. */
    retries: Type.Optional(Retries),
    notifyChannelIds: Type.Optional(NotifyChannelIds),
  },
  { additionalProperties: false },
);
export type CheckCreate = Static<typeof CheckCreate>;

/** `settings` replaces the non-secret settings; a secret left out keeps its value (same type). */
export const CheckUpdate = Type.Object(
  {
    name: Type.Optional(Name(100)),
    type: Type.Optional(CheckTypeSchema),
    settings: Type.Optional(SettingsInput),
    ciId: Type.Optional(Type.Union([Id, Type.Null()])),
    orgUnitId: Type.Optional(Type.Union([Id, Type.Null()])),
    intervalSeconds: Type.Optional(Interval),
    timeoutMs: Type.Optional(Timeout),
    enabled: Type.Optional(Type.Boolean()),
    retries: Type.Optional(Retries),
    /** Left out: the channels stay as the policy has them now. */
    notifyChannelIds: Type.Optional(NotifyChannelIds),
  },
  { additionalProperties: false },
);
export type CheckUpdate = Static<typeof CheckUpdate>;

// ---------------------------------------------------------------- results

export const CheckResult = Type.Object({
  checkId: Id,
  at: Epoch,
  status: Type.Union([Type.Literal('up'), Type.Literal('down')]),
  latencyMs: Type.Union([Type.Number(), Type.Null()]),
  /** In English; older results have only this. */
  message: Type.Union([Type.String(), Type.Null()]),
  messageCode: Type.Union([Type.String(), Type.Null()]),
  messageParams: Type.Union([MessageParamsSchema, Type.Null()]),
  values: Type.Record(Type.String(), Type.Number()),
});
export type CheckResult = Static<typeof CheckResult>;

export const CheckResultsQuery = Type.Object(
  {
    /** Epoch ms; default: 24 hours ago. */
    from: Type.Optional(Epoch),
    to: Type.Optional(Epoch),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })),
  },
  { additionalProperties: false },
);
export type CheckResultsQuery = Static<typeof CheckResultsQuery>;
export const CheckResultList = Type.Object({ items: Type.Array(CheckResult) });
export type CheckResultList = Static<typeof CheckResultList>;

/** The scheduler of this server: how late checks start (actual − planned) and how busy it is. */
export const CheckSchedulerStats = Type.Object({
  running: Type.Boolean(),
  checks: Type.Integer(),
  inFlight: Type.Integer(),
  concurrency: Type.Integer(),
  started: Type.Integer(),
  completed: Type.Integer(),
  /** Runs not started because the previous run of the same check had not finished. */
  skippedOverlap: Type.Integer(),
  /** Start-time jitter over the last (up to) 10,000 starts, in ms. */
  jitterMs: Type.Object({ p50: Type.Number(), p99: Type.Number(), max: Type.Number(), samples: Type.Integer() }),
});
export type CheckSchedulerStats = Static<typeof CheckSchedulerStats>;
