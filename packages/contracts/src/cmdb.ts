import Type, { type Static } from 'typebox';
import type { PermissionId } from './access.js';
import { Epoch, Id, LocalizedTextSchema, Name, Page, PageQuery } from './common.js';
import type { LocalizedText } from './i18n.js';

/**
 * CMDB: configuration item (CI) classes with attribute definitions, CIs, typed relations between
 * them, redundancy groups, impact / dependency analysis over the relation graph, and spreadsheet
 * import / export.
 *
 * Relation direction: `source —type→ target` always reads "source relies on / consists of target"
 * (app runs_on vm, vm hosted_on host, business system contains app). When a relation propagates
 * impact, a failure of the target impacts the source.
 */
export const CMDB_PERMISSIONS = {
  ciRead: 'cmdb.ci.read',
  ciWrite: 'cmdb.ci.write',
  ciImport: 'cmdb.ci.import',
  classWrite: 'cmdb.class.write',
} as const satisfies Record<string, PermissionId>;

// ---------------------------------------------------------------- constants

export const CI_STATUSES = ['active', 'maintenance', 'retired'] as const;
export type CiStatus = (typeof CI_STATUSES)[number];
export const CI_STATUS_NAMES: Record<CiStatus, LocalizedText> = {
  active: { zh: '在用', en: 'Active' },
  maintenance: { zh: '维护中', en: 'In maintenance' },
  retired: { zh: '已退役', en: 'Retired' },
};

export const RELATION_TYPES = ['depends_on', 'runs_on', 'hosted_on', 'contains', 'connects_to'] as const;
export type RelationType = (typeof RELATION_TYPES)[number];
/** Names, the default "propagates impact" of each type, and how to read `source —type→ target`. */
export const RELATION_TYPE_INFO: Record<RelationType, { name: LocalizedText; propagates: boolean; reading: LocalizedText }> = {
  depends_on: { name: { zh: '依赖', en: 'Depends on' }, propagates: true, reading: { zh: '源依赖目标', en: 'source depends on target' } },
  runs_on: { name: { zh: '运行于', en: 'Runs on' }, propagates: true, reading: { zh: '源运行在目标上', en: 'source runs on target' } },
  hosted_on: { name: { zh: '部署于', en: 'Hosted on' }, propagates: true, reading: { zh: '源部署（托管）在目标上', en: 'source is hosted on target' } },
  contains: { name: { zh: '包含', en: 'Contains' }, propagates: true, reading: { zh: '源包含目标（目标故障影响源）', en: 'source contains target (a failing part impacts the whole)' } },
  connects_to: { name: { zh: '连接', en: 'Connects to' }, propagates: false, reading: { zh: '源与目标有网络连接（默认不传播影响）', en: 'source is connected to target (does not propagate by default)' } },
};

export const ATTRIBUTE_TYPES = ['string', 'number', 'boolean', 'date', 'enum'] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

/** Codes of the built-in classes. CIs of `business_system` are where impact analysis stops. */
export const BUILTIN_CLASS_CODES = ['server', 'vm', 'network_device', 'storage', 'database', 'middleware', 'application', 'business_system', 'cloud_platform', 'bigdata_cluster'] as const;
export type BuiltinClassCode = (typeof BUILTIN_CLASS_CODES)[number];
export const BUSINESS_SYSTEM_CLASS: BuiltinClassCode = 'business_system';

/**
 * The fixed fields of a CI as spreadsheet columns (import template, export). Attribute keys may not
 * reuse these names.
 */
export const CI_COLUMNS = ['name', 'subtype', 'status', 'ip', 'hostname', 'owner', 'org_unit', 'description'] as const;
export type CiColumn = (typeof CI_COLUMNS)[number];
export const CI_COLUMN_LABELS: Record<CiColumn, LocalizedText> = {
  name: { zh: '名称', en: 'Name' },
  subtype: { zh: '子类型', en: 'Subtype' },
  status: { zh: '状态', en: 'Status' },
  ip: { zh: 'IP 地址', en: 'IP address' },
  hostname: { zh: '主机名', en: 'Hostname' },
  owner: { zh: '负责人', en: 'Owner' },
  org_unit: { zh: '所属机构', en: 'Organisation unit' },
  description: { zh: '描述', en: 'Description' },
};
export const ATTRIBUTE_TYPE_NAMES: Record<AttributeType, LocalizedText> = {
  string: { zh: '文本', en: 'Text' },
  number: { zh: '数字', en: 'Number' },
  boolean: { zh: '是/否', en: 'Yes / no' },
  date: { zh: '日期', en: 'Date' },
  enum: { zh: '枚举', en: 'Choice' },
};
export const RESERVED_ATTRIBUTE_KEYS: readonly string[] = [...CI_COLUMNS, 'id', 'class', 'attributes', 'created_at', 'updated_at', 'owner_id', 'org_unit_id'];

export const CODE_PATTERN = '^[a-z][a-z0-9_]{1,39}$';
export const ATTRIBUTE_KEY_PATTERN = '^[a-z][a-z0-9_]{0,39}$';

// ---------------------------------------------------------------- classes

const LocalizedName = Type.Object({ zh: Name(64), en: Name(64) }, { additionalProperties: false });
const AttributeTypeSchema = Type.Enum(ATTRIBUTE_TYPES);

export const AttributeDefinitionInput = Type.Object(
  {
    key: Type.String({ pattern: ATTRIBUTE_KEY_PATTERN, maxLength: 40 }),
    label: LocalizedName,
    type: AttributeTypeSchema,
    /** Allowed values; only (and required) for `enum`. */
    options: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 200 })),
    required: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type AttributeDefinitionInput = Static<typeof AttributeDefinitionInput>;

export const AttributeDefinition = Type.Object({
  key: Type.String(),
  label: LocalizedTextSchema,
  type: AttributeTypeSchema,
  options: Type.Array(Type.String()),
  required: Type.Boolean(),
});
export type AttributeDefinition = Static<typeof AttributeDefinition>;

export const SubtypeInput = Type.Object({ key: Type.String({ pattern: ATTRIBUTE_KEY_PATTERN, maxLength: 40 }), name: LocalizedName }, { additionalProperties: false });
export const Subtype = Type.Object({ key: Type.String(), name: LocalizedTextSchema });
export type Subtype = Static<typeof Subtype>;

export const CiClass = Type.Object({
  id: Id,
  code: Type.String(),
  name: LocalizedTextSchema,
  builtin: Type.Boolean(),
  /** CIs of this class are business systems (impact analysis names them and stops there). */
  businessSystem: Type.Boolean(),
  subtypes: Type.Array(Subtype),
  attributes: Type.Array(AttributeDefinition),
  description: Type.String(),
  ciCount: Type.Integer(),
  createdAt: Epoch,
  updatedAt: Epoch,
});
export type CiClass = Static<typeof CiClass>;
export const CiClassList = Type.Array(CiClass);

export const CiClassCreate = Type.Object(
  {
    code: Type.String({ pattern: CODE_PATTERN, maxLength: 40 }),
    name: LocalizedName,
    subtypes: Type.Optional(Type.Array(SubtypeInput, { maxItems: 50 })),
    attributes: Type.Optional(Type.Array(AttributeDefinitionInput, { maxItems: 100 })),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type CiClassCreate = Static<typeof CiClassCreate>;
export const CiClassUpdate = Type.Object(
  {
    name: Type.Optional(LocalizedName),
    subtypes: Type.Optional(Type.Array(SubtypeInput, { maxItems: 50 })),
    attributes: Type.Optional(Type.Array(AttributeDefinitionInput, { maxItems: 100 })),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type CiClassUpdate = Static<typeof CiClassUpdate>;

// ---------------------------------------------------------------- CIs

const CiStatusSchema = Type.Enum(CI_STATUSES);
/** An attribute value as sent: null (or absent) clears it. Dates are `YYYY-MM-DD` strings. */
const AttributeValue = Type.Union([Type.String({ maxLength: 2000 }), Type.Number(), Type.Boolean(), Type.Null()]);
const Attributes = Type.Record(Type.String({ maxLength: 40 }), AttributeValue, { maxProperties: 100 });

export const CiRef = Type.Object({ id: Id, name: Type.String(), classCode: Type.String() });
export type CiRef = Static<typeof CiRef>;
export const GroupRef = Type.Object({ id: Id, name: Type.String() });

export const Ci = Type.Object({
  id: Id,
  classId: Id,
  classCode: Type.String(),
  className: LocalizedTextSchema,
  subtype: Type.Union([Type.String(), Type.Null()]),
  name: Type.String(),
  status: CiStatusSchema,
  ip: Type.String(),
  hostname: Type.String(),
  ownerId: Type.Union([Id, Type.Null()]),
  /** The owner's display name and user name (null when there is no owner). */
  ownerName: Type.Union([Type.String(), Type.Null()]),
  ownerUsername: Type.Union([Type.String(), Type.Null()]),
  orgUnitId: Type.Union([Id, Type.Null()]),
  orgUnitName: Type.Union([Type.String(), Type.Null()]),
  attributes: Type.Record(Type.String(), Type.Unknown()),
  description: Type.String(),
  createdAt: Epoch,
  updatedAt: Epoch,
});
export type Ci = Static<typeof Ci>;
/** A row of the CI list; `businessSystems` only when asked for with `withBusinessSystems=true`. */
export const CiListItem = Type.Object({ ...Ci.properties, businessSystems: Type.Optional(Type.Array(CiRef)) });
export type CiListItem = Static<typeof CiListItem>;
export const CiList = Page(CiListItem);

/** One CI with the business systems it belongs to (those relying on it, transitively) and its groups. */
export const CiDetail = Type.Object({
  ...Ci.properties,
  businessSystems: Type.Array(CiRef),
  groups: Type.Array(GroupRef),
});
export type CiDetail = Static<typeof CiDetail>;

export const CiCreate = Type.Object(
  {
    classId: Id,
    name: Name(128),
    subtype: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
    status: Type.Optional(CiStatusSchema),
    /** IPv4 or IPv6, or empty. */
    ip: Type.Optional(Type.String({ maxLength: 45 })),
    hostname: Type.Optional(Type.String({ maxLength: 253 })),
    ownerId: Type.Optional(Type.Union([Id, Type.Null()])),
    orgUnitId: Type.Optional(Type.Union([Id, Type.Null()])),
    attributes: Type.Optional(Attributes),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type CiCreate = Static<typeof CiCreate>;

/** `attributes`, when given, replaces the whole set (send the ones to keep). The class cannot change. */
export const CiUpdate = Type.Object(
  {
    name: Type.Optional(Name(128)),
    subtype: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
    status: Type.Optional(CiStatusSchema),
    ip: Type.Optional(Type.String({ maxLength: 45 })),
    hostname: Type.Optional(Type.String({ maxLength: 253 })),
    ownerId: Type.Optional(Type.Union([Id, Type.Null()])),
    orgUnitId: Type.Optional(Type.Union([Id, Type.Null()])),
    attributes: Type.Optional(Attributes),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type CiUpdate = Static<typeof CiUpdate>;

export const CI_SORT_FIELDS = ['name', 'status', 'ip', 'createdAt', 'updatedAt'] as const;
const CiFilters = {
  /** Matches name, IP, hostname and description. */
  q: PageQuery.q,
  classId: Type.Optional(Id),
  /** A subtype key (e.g. `switch`); most useful together with classId. */
  subtype: Type.Optional(Type.String({ pattern: ATTRIBUTE_KEY_PATTERN, maxLength: 40 })),
  status: Type.Optional(CiStatusSchema),
  orgUnitId: Type.Optional(Id),
  ownerId: Type.Optional(Id),
  /** Only CIs a business system relies on (transitively, over propagating relations). */
  businessSystemId: Type.Optional(Id),
  sort: Type.Optional(Type.Enum(CI_SORT_FIELDS)),
  order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
};
export const CiQuery = Type.Object(
  {
    offset: PageQuery.offset,
    limit: PageQuery.limit,
    ...CiFilters,
    /** Also name, per CI, the business systems relying on it (one walk of the relation graph per page). */
    withBusinessSystems: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CiQuery = Static<typeof CiQuery>;
export const CiExportQuery = Type.Object({ ...CiFilters, format: Type.Union([Type.Literal('csv'), Type.Literal('xlsx')]) }, { additionalProperties: false });
export type CiExportQuery = Static<typeof CiExportQuery>;

// ---------------------------------------------------------------- relations

const RelationTypeSchema = Type.Enum(RELATION_TYPES);
const TargetKind = Type.Union([Type.Literal('ci'), Type.Literal('group')]);

export const Relation = Type.Object({
  id: Id,
  sourceId: Id,
  sourceName: Type.String(),
  targetKind: TargetKind,
  targetId: Id,
  targetName: Type.String(),
  type: RelationTypeSchema,
  propagates: Type.Boolean(),
  description: Type.String(),
  createdAt: Epoch,
  updatedAt: Epoch,
});
export type Relation = Static<typeof Relation>;
/** Relations of one CI: where it is the source (what it relies on) and where it is the target. */
export const CiRelations = Type.Object({ outgoing: Type.Array(Relation), incoming: Type.Array(Relation) });
export type CiRelations = Static<typeof CiRelations>;

export const RelationCreate = Type.Object(
  {
    sourceId: Id,
    targetId: Id,
    /** Default `ci`; `group` makes the source rely on a redundancy group. */
    targetKind: Type.Optional(TargetKind),
    type: RelationTypeSchema,
    /** Default: the type's default (RELATION_TYPE_INFO). */
    propagates: Type.Optional(Type.Boolean()),
    description: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type RelationCreate = Static<typeof RelationCreate>;
export const RelationUpdate = Type.Object(
  { propagates: Type.Optional(Type.Boolean()), description: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false, minProperties: 1 },
);
export type RelationUpdate = Static<typeof RelationUpdate>;

// ---------------------------------------------------------------- redundancy groups

export const GroupMember = Type.Object({ id: Id, name: Type.String(), classCode: Type.String(), status: Type.String(), restricted: Type.Boolean() });
export const RedundancyGroup = Type.Object({
  id: Id,
  name: Type.String(),
  /** The group works while at least this many members are up. */
  minUp: Type.Integer(),
  description: Type.String(),
  members: Type.Array(GroupMember),
  createdAt: Epoch,
  updatedAt: Epoch,
});
export type RedundancyGroup = Static<typeof RedundancyGroup>;
export const RedundancyGroupList = Page(RedundancyGroup);
export const GroupQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });
export type GroupQuery = Static<typeof GroupQuery>;
export const GroupCreate = Type.Object(
  {
    name: Name(128),
    minUp: Type.Integer({ minimum: 1, maximum: 1000 }),
    memberIds: Type.Array(Id, { minItems: 1, maxItems: 1000, uniqueItems: true }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type GroupCreate = Static<typeof GroupCreate>;
export const GroupUpdate = Type.Object(
  {
    name: Type.Optional(Name(128)),
    minUp: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    memberIds: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 1000, uniqueItems: true })),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type GroupUpdate = Static<typeof GroupUpdate>;

// ---------------------------------------------------------------- impact and dependency graphs

export const NODE_STATES = ['failed', 'impacted', 'degraded', 'up', 'root', 'dependency'] as const;
export const GraphNode = Type.Object({
  id: Id,
  kind: Type.Union([Type.Literal('ci'), Type.Literal('group')]),
  /** Empty when `restricted`. */
  name: Type.String(),
  classCode: Type.Union([Type.String(), Type.Null()]),
  /** The CI's recorded status (null for groups and restricted CIs). */
  status: Type.Union([Type.String(), Type.Null()]),
  businessSystem: Type.Boolean(),
  /** Outside the caller's data scope: only the id and its place in the graph are shown. */
  restricted: Type.Boolean(),
  /**
   * Impact: failed (asked about), impacted, degraded (a group with members down but still ≥ minUp up),
   * up (a member of a shown group that is fine). Dependencies: root, dependency.
   */
  state: Type.Enum(NODE_STATES),
  /** Hops from the nearest failed CI (impact) or from the root (dependencies); null for `up`. */
  depth: Type.Union([Type.Integer(), Type.Null()]),
  /** For groups: minimum members up, members, members down. */
  minUp: Type.Optional(Type.Integer()),
  memberCount: Type.Optional(Type.Integer()),
  downCount: Type.Optional(Type.Integer()),
});
export type GraphNode = Static<typeof GraphNode>;
/** `source` relies on `target`; `member` edges run from a group to each member. */
export const GraphEdge = Type.Object({
  id: Type.String(),
  source: Id,
  target: Id,
  type: Type.Enum([...RELATION_TYPES, 'member']),
  propagates: Type.Boolean(),
});
export type GraphEdge = Static<typeof GraphEdge>;

export const GraphItem = Type.Object({
  id: Id,
  kind: Type.Union([Type.Literal('ci'), Type.Literal('group')]),
  name: Type.String(),
  classCode: Type.Union([Type.String(), Type.Null()]),
  restricted: Type.Boolean(),
  depth: Type.Integer(),
  /** Node ids from the failed CI (impact) or the root (dependencies) to this one, both included. */
  path: Type.Array(Id),
});
export type GraphItem = Static<typeof GraphItem>;

export const GroupImpact = Type.Object({
  id: Id,
  name: Type.String(),
  minUp: Type.Integer(),
  memberCount: Type.Integer(),
  downCount: Type.Integer(),
  /** down: fewer than minUp members up (it propagates); degraded: some down, still enough up. */
  state: Type.Union([Type.Literal('down'), Type.Literal('degraded')]),
});

export const ImpactQuery = Type.Object(
  {
    /** More failed CIs, comma-separated ids (e.g. "two of three nodes down"). */
    failed: Type.Optional(Type.String({ maxLength: 6600, pattern: '^[0-9a-fA-F-]{1,64}(,[0-9a-fA-F-]{1,64})*$' })),
    maxDepth: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);
export type ImpactQuery = Static<typeof ImpactQuery>;
export const ImpactResult = Type.Object({
  rootId: Id,
  failedIds: Type.Array(Id),
  /** Impacted CIs (business systems included), nearest first. The failed CIs are not listed. */
  affected: Type.Array(GraphItem),
  /** The impacted business systems: the walk reports them and stops there. */
  businessSystems: Type.Array(GraphItem),
  /** Redundancy groups with members down. */
  groups: Type.Array(GroupImpact),
  nodes: Type.Array(GraphNode),
  edges: Type.Array(GraphEdge),
});
export type ImpactResult = Static<typeof ImpactResult>;

export const DependencyQuery = Type.Object(
  {
    /** Also follow relations that do not propagate impact (e.g. connects_to). */
    all: Type.Optional(Type.Boolean()),
    maxDepth: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);
export type DependencyQuery = Static<typeof DependencyQuery>;
export const DependencyResult = Type.Object({
  rootId: Id,
  /** Everything the root relies on, nearest first (groups included, then their members). */
  dependencies: Type.Array(GraphItem),
  nodes: Type.Array(GraphNode),
  edges: Type.Array(GraphEdge),
});
export type DependencyResult = Static<typeof DependencyResult>;

// ---------------------------------------------------------------- import / export

export const IMPORT_LIMITS = { bodyBytes: 10 * 1024 * 1024, rows: 5000 } as const;
export const IMPORT_CONTENT_TYPES = ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv', 'application/vnd.ms-excel', 'application/octet-stream'] as const;

export const TemplateQuery = Type.Object({ classId: Id }, { additionalProperties: false });
export const ImportQuery = Type.Object({ classId: Id, filename: Type.Optional(Type.String({ maxLength: 255 })) }, { additionalProperties: false });
export type ImportQuery = Static<typeof ImportQuery>;

export const ImportRowResult = Type.Object({
  /** The spreadsheet row number (the header is row 1). */
  row: Type.Integer(),
  status: Type.Union([Type.Literal('imported'), Type.Literal('failed')]),
  /** `column` is the column's header as written in the file (or the field key when it has no column). */
  errors: Type.Array(Type.Object({ column: Type.String(), message: Type.String() })),
  ciId: Type.Optional(Id),
});
export type ImportRowResult = Static<typeof ImportRowResult>;
export const ImportReport = Type.Object({
  imported: Type.Integer(),
  failed: Type.Integer(),
  total: Type.Integer(),
  /** Headers the class does not know (ignored), e.g. an export's id column. */
  ignoredColumns: Type.Array(Type.String()),
  rows: Type.Array(ImportRowResult),
});
export type ImportReport = Static<typeof ImportReport>;
