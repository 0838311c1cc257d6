import Type, { type Static } from 'typebox';
import type { PermissionId } from './access.js';
import { Epoch, Id, Name } from './common.js';

/**
 * Notification channels (e-mail, webhook, DingTalk, WeCom and Feishu robots) and the durable delivery
 * outbox behind them: every message is a `notify_delivery` row first, then sent by a worker with
 * timeouts, retries with backoff and a per-key rate limit; the delivery log shows every outcome.
 *
 * Channel secrets (SMTP password, tokens, signing secrets) are write-only: sent in `config`, sealed at
 * rest, never returned — a channel says which are set in `secretsSet`. Webhook header values are
 * secrets too: `config.headers` lists the names with `null` values. Changing where a channel sends
 * (CHANNEL_DESTINATION_FIELDS) drops the stored secrets not entered again (`secretsDropped`).
 */
export const NOTIFY_PERMISSIONS = {
  channelRead: 'notify.channel.read',
  /** Create, change, delete channels: system administrators only (a channel holds organisation secrets and reaches outside). */
  channelWrite: 'notify.channel.write',
  deliveryRead: 'notify.delivery.read',
  /** Send a test message through a channel and resend a delivery, to the destination an administrator set. */
  deliverySend: 'notify.delivery.send',
} as const satisfies Record<string, PermissionId>;

export const CHANNEL_TYPES = ['email', 'webhook', 'dingtalk', 'wecom', 'feishu'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

export const NOTIFY_LOCALES = ['zh-CN', 'en'] as const;
export type NotifyLocale = (typeof NOTIFY_LOCALES)[number];

export const DELIVERY_STATUSES = ['queued', 'sending', 'sent', 'retrying', 'failed', 'suppressed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const NOTIFY_LIMITS = {
  /** Deliveries per rate key (e.g. one alert rule) per channel per minute, unless the channel says otherwise. */
  defaultRatePerMinute: 10,
  /** Attempts before a delivery is `failed`, unless the channel says otherwise. */
  defaultMaxAttempts: 6,
  maxAttempts: 20,
  /** Finished deliveries (sent, failed, suppressed) stay in the log this long. */
  deliveryRetentionDays: 90,
} as const;

// ---------------------------------------------------------------- messages

export const MessageAttachment = Type.Object(
  {
    filename: Type.String({ minLength: 1, maxLength: 255 }),
    contentType: Type.String({ minLength: 1, maxLength: 200 }),
    /** The file's key in the shared file store. */
    fileKey: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);
export type MessageAttachment = Static<typeof MessageAttachment>;

export const NotificationMessage = Type.Object(
  {
    /** One line. */
    title: Type.String({ minLength: 1, maxLength: 500 }),
    /** Body in Markdown (robots render it; e-mail renders it to simple HTML). */
    markdown: Type.String({ maxLength: 20_000 }),
    /** Plain-text body. */
    text: Type.String({ maxLength: 20_000 }),
    severity: Type.Optional(Type.Union([Type.Literal('info'), Type.Literal('warning'), Type.Literal('critical')])),
    status: Type.Optional(Type.Union([Type.Literal('firing'), Type.Literal('resolved'), Type.Literal('acknowledged'), Type.Literal('test')])),
    /** Link into Yunwei. */
    url: Type.Optional(Type.String({ maxLength: 2000 })),
    /** Structured payload; the webhook channel sends it as JSON. */
    data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    /**
     * Files kept in the shared file store (`ctx.files`), attached by the e-mail channel; robots and
     * webhooks ignore them (the message's `url` links to them). Never the bytes: the outbox row stays small.
     */
    attachments: Type.Optional(Type.Array(MessageAttachment, { maxItems: 10 })),
  },
  { additionalProperties: false },
);
export type NotificationMessage = Static<typeof NotificationMessage>;

/** A message in both languages: each channel sends the one of its locale. */
export interface LocalizedMessage {
  'zh-CN': NotificationMessage;
  en: NotificationMessage;
}

// ---------------------------------------------------------------- configuration per type

const HttpUrl = Type.String({ minLength: 1, maxLength: 2000, pattern: '^https?://[^\\s]+$' });
const Port = Type.Integer({ minimum: 1, maximum: 65535 });
/** A secret: a string sets it, `null` clears it, absent keeps it (on change). */
const Secret = Type.Union([Type.String({ maxLength: 2000 }), Type.Null()]);
const Email = Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@<>]+@[^\\s@<>]+$' });
const Mobile = Type.String({ minLength: 3, maxLength: 20, pattern: '^\\+?[0-9-]{3,20}$' });

export const EmailConfig = Type.Object(
  {
    host: Type.String({ minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9_.:\\-\\[\\]]+$' }),
    port: Port,
    /** `tls`: TLS from the first byte (465); `starttls`: upgrade required (587); `none`: plain (tests, relays on localhost). */
    security: Type.Union([Type.Literal('tls'), Type.Literal('starttls'), Type.Literal('none')]),
    user: Type.Optional(Type.String({ maxLength: 254 })),
    password: Type.Optional(Secret),
    from: Type.String({ minLength: 3, maxLength: 300 }),
    /** Default recipients (an escalation may send to other addresses). */
    to: Type.Array(Email, { minItems: 1, maxItems: 100 }),
    /** Accept any server certificate (self-signed relays). */
    insecureSkipVerify: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type EmailConfig = Static<typeof EmailConfig>;

export const WebhookConfig = Type.Object(
  {
    url: HttpUrl,
    /**
     * Extra request headers (e.g. an `Authorization` the receiver wants). Values are secrets: sealed,
     * never returned (names come back with `null`); `null` keeps the stored value, a name left out is
     * removed, `headers` left out keeps them all.
     */
    headers: Type.Optional(
      Type.Record(Type.String({ pattern: "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$", maxLength: 100 }), Type.Union([Type.String({ maxLength: 2000, pattern: '^[^\\u0000-\\u001f]*$' }), Type.Null()]), {
        additionalProperties: false,
        maxProperties: 50,
      }),
    ),
    /** HMAC-SHA256 key of the `X-Yunwei-Signature` header. */
    secret: Type.Optional(Secret),
  },
  { additionalProperties: false },
);
export type WebhookConfig = Static<typeof WebhookConfig>;

export const DingtalkConfig = Type.Object(
  {
    /** Default `https://oapi.dingtalk.com/robot/send`. */
    baseUrl: Type.Optional(HttpUrl),
    /** The robot's `access_token`. */
    accessToken: Type.Optional(Secret),
    /** 加签 secret (`SEC…`): adds `timestamp` and `sign`. */
    signSecret: Type.Optional(Secret),
    atMobiles: Type.Optional(Type.Array(Mobile, { maxItems: 50 })),
    atAll: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type DingtalkConfig = Static<typeof DingtalkConfig>;

export const WecomConfig = Type.Object(
  {
    /** Default `https://qyapi.weixin.qq.com/cgi-bin/webhook/send`. */
    baseUrl: Type.Optional(HttpUrl),
    /** The robot's webhook `key`. */
    key: Type.Optional(Secret),
    /** Mentions (sent as a text message after the Markdown one: WeCom's Markdown cannot mention by mobile). */
    mentionedMobiles: Type.Optional(Type.Array(Mobile, { maxItems: 50 })),
    mentionedUserIds: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 50 })),
  },
  { additionalProperties: false },
);
export type WecomConfig = Static<typeof WecomConfig>;

export const FeishuConfig = Type.Object(
  {
    /** Default `https://open.feishu.cn/open-apis/bot/v2/hook` (Lark: `https://open.larksuite.com/open-apis/bot/v2/hook`). */
    baseUrl: Type.Optional(HttpUrl),
    /** The hook token, the last segment of the robot's webhook URL. */
    token: Type.Optional(Secret),
    /** 签名校验 secret: adds `timestamp` and `sign` to the body. */
    signSecret: Type.Optional(Secret),
  },
  { additionalProperties: false },
);
export type FeishuConfig = Static<typeof FeishuConfig>;

export const CHANNEL_CONFIG_SCHEMAS = { email: EmailConfig, webhook: WebhookConfig, dingtalk: DingtalkConfig, wecom: WecomConfig, feishu: FeishuConfig } as const;
export interface ChannelConfigOf {
  email: EmailConfig;
  webhook: WebhookConfig;
  dingtalk: DingtalkConfig;
  wecom: WecomConfig;
  feishu: FeishuConfig;
}

/** The configuration names that are secrets, per type (write-only). */
export const CHANNEL_SECRET_FIELDS = {
  email: ['password'],
  webhook: ['secret'],
  dingtalk: ['accessToken', 'signSecret'],
  wecom: ['key'],
  feishu: ['token', 'signSecret'],
} as const satisfies Record<ChannelType, readonly string[]>;

/** Map fields whose values are secrets (stored as `headers.<name>`; `secretsSet` lists them so). */
export const CHANNEL_SECRET_MAPS = {
  email: [],
  webhook: ['headers'],
  dingtalk: [],
  wecom: [],
  feishu: [],
} as const satisfies Record<ChannelType, readonly string[]>;

/**
 * Where (and how) a channel sends its secrets. Changing one of these drops the stored secrets that are
 * not entered again in the same request: the secrets cannot be redirected to another server.
 */
export const CHANNEL_DESTINATION_FIELDS = {
  email: ['host', 'port', 'security', 'insecureSkipVerify'],
  webhook: ['url'],
  dingtalk: ['baseUrl'],
  wecom: ['baseUrl'],
  feishu: ['baseUrl'],
} as const satisfies Record<ChannelType, readonly string[]>;

// ---------------------------------------------------------------- channels

const ChannelTypeSchema = Type.Enum(CHANNEL_TYPES);
const LocaleSchema = Type.Enum(NOTIFY_LOCALES);
const ConfigInput = Type.Record(Type.String(), Type.Unknown(), { description: 'configuration of the type: EmailConfig, WebhookConfig, DingtalkConfig, WecomConfig, FeishuConfig' });
const RatePerMinute = Type.Integer({ minimum: 1, maximum: 10_000 });
const MaxAttempts = Type.Integer({ minimum: 1, maximum: NOTIFY_LIMITS.maxAttempts });

export const NotifyChannel = Type.Object({
  id: Id,
  name: Type.String(),
  type: ChannelTypeSchema,
  /** Without its secrets. */
  config: Type.Record(Type.String(), Type.Unknown()),
  /** Which secret fields are set (e.g. `{ password: true, 'headers.Authorization': true }`). */
  secretsSet: Type.Record(Type.String(), Type.Boolean()),
  /** On a change only: stored secrets dropped because a destination field changed and they were not entered again. */
  secretsDropped: Type.Optional(Type.Array(Type.String())),
  locale: LocaleSchema,
  enabled: Type.Boolean(),
  /**
   * A default channel: the built-in default notification policy sends critical alerts to every enabled
   * default channel (looked up when it sends), and forms that pick channels preselect it.
   */
  isDefault: Type.Boolean(),
  /** Deliveries per rate key per minute; more are `suppressed`. */
  ratePerMinute: Type.Integer(),
  maxAttempts: Type.Integer(),
  createdAt: Epoch,
  updatedAt: Epoch,
});
export type NotifyChannel = Static<typeof NotifyChannel>;
export const NotifyChannelList = Type.Object({ items: Type.Array(NotifyChannel), total: Type.Integer() });
export type NotifyChannelList = Static<typeof NotifyChannelList>;

export const NotifyChannelListQuery = Type.Object(
  {
    type: Type.Optional(ChannelTypeSchema),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  },
  { additionalProperties: false },
);
export type NotifyChannelListQuery = Static<typeof NotifyChannelListQuery>;

export const NotifyChannelCreate = Type.Object(
  {
    name: Name(100),
    type: ChannelTypeSchema,
    config: ConfigInput,
    /** Default zh-CN. */
    locale: Type.Optional(LocaleSchema),
    enabled: Type.Optional(Type.Boolean()),
    /** Default false. */
    isDefault: Type.Optional(Type.Boolean()),
    ratePerMinute: Type.Optional(RatePerMinute),
    maxAttempts: Type.Optional(MaxAttempts),
  },
  { additionalProperties: false },
);
export type NotifyChannelCreate = Static<typeof NotifyChannelCreate>;

/** `config` replaces the non-secret configuration; a secret left out keeps its value. The type cannot change. */
export const NotifyChannelUpdate = Type.Object(
  {
    name: Type.Optional(Name(100)),
    config: Type.Optional(ConfigInput),
    locale: Type.Optional(LocaleSchema),
    enabled: Type.Optional(Type.Boolean()),
    isDefault: Type.Optional(Type.Boolean()),
    ratePerMinute: Type.Optional(RatePerMinute),
    maxAttempts: Type.Optional(MaxAttempts),
  },
  { additionalProperties: false },
);
export type NotifyChannelUpdate = Static<typeof NotifyChannelUpdate>;

// ---------------------------------------------------------------- deliveries

export const NotifyDelivery = Type.Object({
  id: Id,
  channelId: Id,
  /** Null when the channel was deleted since. */
  channelName: Type.Union([Type.String(), Type.Null()]),
  channelType: Type.Union([ChannelTypeSchema, Type.Null()]),
  status: Type.Enum(DELIVERY_STATUSES),
  attempts: Type.Integer(),
  nextAttemptAt: Type.Union([Epoch, Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  /** The message in the channel's locale. */
  title: Type.String(),
  recipients: Type.Array(Type.String()),
  rateKey: Type.Union([Type.String(), Type.Null()]),
  sourceKind: Type.Union([Type.String(), Type.Null()]),
  sourceId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Epoch,
  sentAt: Type.Union([Epoch, Type.Null()]),
  durationMs: Type.Union([Type.Integer(), Type.Null()]),
});
export type NotifyDelivery = Static<typeof NotifyDelivery>;
export const NotifyDeliveryList = Type.Object({ items: Type.Array(NotifyDelivery), total: Type.Integer() });
export type NotifyDeliveryList = Static<typeof NotifyDeliveryList>;

export const NotifyDeliveryListQuery = Type.Object(
  {
    channelId: Type.Optional(Id),
    status: Type.Optional(Type.Enum(DELIVERY_STATUSES)),
    sourceKind: Type.Optional(Type.String({ maxLength: 50 })),
    sourceId: Type.Optional(Type.String({ maxLength: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  },
  { additionalProperties: false },
);
export type NotifyDeliveryListQuery = Static<typeof NotifyDeliveryListQuery>;

/** The outcome of "send a test message": sent now, or the error the channel's endpoint gave. */
export const NotifyTestResult = Type.Object({
  ok: Type.Boolean(),
  deliveryId: Id,
  durationMs: Type.Integer(),
  error: Type.Union([Type.String(), Type.Null()]),
});
export type NotifyTestResult = Static<typeof NotifyTestResult>;

/**
 * How messages are made (start-up settings, read-only here): the public URL links are made under
 * (`YUNWEI_PUBLIC_URL`; null: messages carry relative links, which chat apps and mail cannot open)
 * and the time zone of their times (`YUNWEI_TIME_ZONE`), with the current time as messages write it.
 */
export const NotifySettings = Type.Object({
  publicUrl: Type.Union([Type.String(), Type.Null()]),
  timeZone: Type.String(),
  timeExample: Type.String(),
});
export type NotifySettings = Static<typeof NotifySettings>;
