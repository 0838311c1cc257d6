import Type, { type Static } from 'typebox';
import type { PermissionId } from './access.js';
import { Epoch, Id, Name } from './common.js';

/**
 * Public status pages: one per business system (a CMDB CI of class business_system), opt-in and
 * read-only, showing only what an administrator chose for it — components (checks and CIs, each
 * under a display name), their state and uptime, and notices (incidents, maintenance).
 *
 * The admin API (`/api/status-pages`) is scoped by the business system's org unit as the CMDB scopes
 * CIs. The public API (`GET /api/public/status/:slug`) needs no sign-in and answers published pages
 * only; it never carries ids (beyond the slug), targets, host names, labels or alert names.
 */
export const STATUS_PAGE_PERMISSIONS = {
  read: 'statuspage.page.read',
  /** Create, change, publish and delete pages, and post notices on them. */
  write: 'statuspage.page.write',
} as const satisfies Record<string, PermissionId>;

/** Lower-case letters, digits and inner hyphens: the last part of `/status/<slug>`. */
export const SLUG_PATTERN = '^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$';
export const STATUS_PAGE_LIMITS = { slugMin: 2, slugMax: 64, components: 50, noticeBody: 5000, description: 1000 } as const;

/** What a visitor is told. `unknown`: no component has reported anything yet. */
export const PUBLIC_STATES = ['operational', 'degraded', 'outage', 'maintenance', 'unknown'] as const;
export type PublicState = (typeof PUBLIC_STATES)[number];
/** A day of the uptime bars: `nodata` before the component existed or when nothing ran. */
export const DAY_STATES = ['operational', 'degraded', 'outage', 'nodata'] as const;
export type DayState = (typeof DAY_STATES)[number];

export const NOTICE_KINDS = ['incident', 'maintenance'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];
/** An active incident notice raises the page's state: minor/major → degraded, critical → outage (info: none). */
export const NOTICE_SEVERITIES = ['info', 'minor', 'major', 'critical'] as const;
export type NoticeSeverity = (typeof NOTICE_SEVERITIES)[number];
export const NOTICE_PHASES = ['scheduled', 'active', 'ended'] as const;
export type NoticePhase = (typeof NOTICE_PHASES)[number];

const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const Slug = Type.String({ minLength: STATUS_PAGE_LIMITS.slugMin, maxLength: STATUS_PAGE_LIMITS.slugMax, pattern: SLUG_PATTERN, description: 'lower-case letters, digits and hyphens (not at either end)' });
/** zh is required; en may be empty (the page then shows zh in English too). */
export const PageTitle = Type.Object({ zh: Name(100), en: Type.Optional(Type.String({ maxLength: 100 })) }, { additionalProperties: false });
export const PageDescription = Type.Object(
  { zh: Type.Optional(Type.String({ maxLength: STATUS_PAGE_LIMITS.description })), en: Type.Optional(Type.String({ maxLength: STATUS_PAGE_LIMITS.description })) },
  { additionalProperties: false },
);

/** One thing shown: a check or a CI (exactly one of the two), under `name` (default: its name now). */
export const ComponentInput = Type.Object(
  {
    checkId: Type.Optional(Id),
    ciId: Type.Optional(Id),
    name: Type.Optional(Name(100)),
  },
  { additionalProperties: false },
);
export type ComponentInput = Static<typeof ComponentInput>;

export const StatusPageCreate = Type.Object(
  {
    slug: Slug,
    title: PageTitle,
    description: Type.Optional(PageDescription),
    businessSystemId: Id,
    components: Type.Optional(Type.Array(ComponentInput, { maxItems: STATUS_PAGE_LIMITS.components })),
    published: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type StatusPageCreate = Static<typeof StatusPageCreate>;
export const StatusPageUpdate = Type.Partial(StatusPageCreate, { additionalProperties: false, minProperties: 1 });
export type StatusPageUpdate = Static<typeof StatusPageUpdate>;

export const StatusComponent = Type.Object({
  kind: Type.Union([Type.Literal('check'), Type.Literal('ci')]),
  /** The check's or CI's id (admin view only). */
  refId: Id,
  /** What visitors read. */
  name: Type.String(),
  /** Its name in Yunwei now (null: it was deleted). */
  currentName: Nullable(Type.String()),
});
export type StatusComponent = Static<typeof StatusComponent>;

export const StatusNotice = Type.Object({
  id: Id,
  kind: Type.Enum(NOTICE_KINDS),
  severity: Type.Enum(NOTICE_SEVERITIES),
  title: Type.String(),
  body: Type.String(),
  startsAt: Epoch,
  /** null: still going on. */
  endsAt: Nullable(Epoch),
  phase: Type.Enum(NOTICE_PHASES),
  createdBy: Type.String(),
  createdAt: Epoch,
  updatedAt: Epoch,
});
export type StatusNotice = Static<typeof StatusNotice>;

export const StatusPageSummary = Type.Object({
  id: Id,
  slug: Slug,
  title: Type.Object({ zh: Type.String(), en: Type.String() }),
  businessSystemId: Id,
  /** null: the business system was deleted. */
  businessSystemName: Nullable(Type.String()),
  published: Type.Boolean(),
  componentCount: Type.Integer(),
  activeNotices: Type.Integer(),
  updatedAt: Epoch,
});
export type StatusPageSummary = Static<typeof StatusPageSummary>;
export const StatusPageList = Type.Object({ items: Type.Array(StatusPageSummary), total: Type.Integer() });
export type StatusPageList = Static<typeof StatusPageList>;

export const StatusPage = Type.Object({
  ...StatusPageSummary.properties,
  description: Type.Object({ zh: Type.String(), en: Type.String() }),
  components: Type.Array(StatusComponent),
  notices: Type.Array(StatusNotice),
  createdAt: Epoch,
});
export type StatusPage = Static<typeof StatusPage>;

export const NoticeCreate = Type.Object(
  {
    kind: Type.Enum(NOTICE_KINDS),
    severity: Type.Optional(Type.Enum(NOTICE_SEVERITIES)),
    title: Name(200),
    body: Type.Optional(Type.String({ maxLength: STATUS_PAGE_LIMITS.noticeBody })),
    /** Default: now. */
    startsAt: Type.Optional(Epoch),
    /** null or absent: until ended. */
    endsAt: Type.Optional(Nullable(Epoch)),
  },
  { additionalProperties: false },
);
export type NoticeCreate = Static<typeof NoticeCreate>;
export const NoticeUpdate = Type.Partial(NoticeCreate, { additionalProperties: false, minProperties: 1 });
export type NoticeUpdate = Static<typeof NoticeUpdate>;
export const NoticeParams = Type.Object({ id: Id, noticeId: Id }, { additionalProperties: false });
export type NoticeParams = Static<typeof NoticeParams>;

// ---------------------------------------------------------------- what anyone may read

export const PublicDay = Type.Object({
  /** Local date (YYYY-MM-DD) in the server's time zone. */
  date: Type.String(),
  /** % of the day up, two decimals rounded down; null without data. */
  uptime: Nullable(Type.Number()),
  state: Type.Enum(DAY_STATES),
});
export type PublicDay = Static<typeof PublicDay>;

export const PublicComponent = Type.Object({
  name: Type.String(),
  state: Type.Enum(PUBLIC_STATES),
  uptime24h: Nullable(Type.Number()),
  uptime30d: Nullable(Type.Number()),
  /** Oldest first, today last. */
  days: Type.Array(PublicDay),
});
export type PublicComponent = Static<typeof PublicComponent>;

export const PublicNotice = Type.Object({
  kind: Type.Enum(NOTICE_KINDS),
  severity: Type.Enum(NOTICE_SEVERITIES),
  phase: Type.Enum(NOTICE_PHASES),
  title: Type.String(),
  body: Type.String(),
  startsAt: Epoch,
  endsAt: Nullable(Epoch),
});
export type PublicNotice = Static<typeof PublicNotice>;

export const PublicStatusPage = Type.Object({
  slug: Type.String(),
  title: Type.Object({ zh: Type.String(), en: Type.String() }),
  description: Type.Object({ zh: Type.String(), en: Type.String() }),
  state: Type.Enum(PUBLIC_STATES),
  /** When the answer was computed (epoch ms). */
  at: Epoch,
  /** IANA zone of the days' dates. */
  timeZone: Type.String(),
  components: Type.Array(PublicComponent),
  /** Active and scheduled first (newest first), then those ended in the last 30 days. */
  notices: Type.Array(PublicNotice),
});
export type PublicStatusPage = Static<typeof PublicStatusPage>;

export const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
export type SlugParams = Static<typeof SlugParams>;
