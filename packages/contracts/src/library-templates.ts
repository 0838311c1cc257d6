import Type, { type Static } from 'typebox';
import type { PermissionId } from './access.js';
import { Epoch, Id, Name } from './common.js';
import { LibraryBody, TypeCode } from './library.js';

/**
 * Document templates (文档模板) of the library: per document type, a body written in the editor whose
 * placeholders are filled from the modules' data providers when a document is generated from it, so the
 * template stays text while the numbers come from live data and are frozen into the version.
 *
 * Placeholders, written as plain text in the editor:
 * - `{{alerts.summary}}` alone in a top-level paragraph: replaced by the provider's whole section (tables, charts);
 * - `{{alerts.summary.count}}` anywhere in a text: replaced by the field's value, formatted (`12`, `99.5%`, `20 分钟`).
 * Saving refuses an unknown provider or field (400 on `body.body`, naming it). At generation a provider that fails,
 * or whose data the author may not read, leaves a danger paragraph "本节（…）缺失：…" (a field: `【缺失：…】`).
 *
 * Routes (all under /api/library):
 * - GET    /providers                        → LibraryProviderList                       library.document.read
 * - GET    /templates?type=                  LibraryTemplateQuery → LibraryTemplateList   library.document.read
 * - GET    /templates/:id                    → LibraryTemplate                           library.document.read
 * - POST   /templates                        LibraryTemplateCreate → LibraryTemplate      library.template.manage
 * - PATCH  /templates/:id                    LibraryTemplateUpdate → LibraryTemplate      library.template.manage
 * - DELETE /templates/:id                    → Ok                                         library.template.manage
 * - POST   /templates/:id/generate           LibraryTemplateGenerate → LibraryDocumentDetail  library.document.write
 */
export const LIBRARY_TEMPLATE_PERMISSIONS = {
  /** Write, change and delete templates (the people who write the documents, not only administrators). */
  manage: 'library.template.manage',
} as const satisfies Record<string, PermissionId>;

export const LIBRARY_TEMPLATE_LIMITS = {
  name: 100,
  description: 1000,
  defaultScope: 100,
  /** Placeholders in one template. */
  placeholders: 200,
  /** Templates per type. */
  perType: 100,
} as const;

/** The period a template is usually generated for: the previous whole week, month or quarter. */
export const LIBRARY_TEMPLATE_PERIODS = ['week', 'month', 'quarter'] as const;
export type LibraryTemplatePeriod = (typeof LIBRARY_TEMPLATE_PERIODS)[number];

export const PROVIDER_FIELD_FORMATS = ['number', 'percent', 'minutes', 'text'] as const;

const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Person = Type.Object({ id: Id, name: Type.String() });

// ---------------------------------------------------------------- data providers

export const LibraryProviderField = Type.Object({
  /** The key after the provider's name: `{{alerts.summary.<key>}}`. */
  key: Type.String(),
  title: Type.String(),
  format: Type.Enum(PROVIDER_FIELD_FORMATS),
});
export type LibraryProviderField = Static<typeof LibraryProviderField>;

export const LibraryProvider = Type.Object({
  /** `alerts.summary`, `monitoring.availability`, … */
  name: Type.String(),
  /** In the reader's language. */
  title: Type.String(),
  /** The permission whose holders get the data (others get the "missing" text in a generated document). */
  permission: Type.String(),
  /** Whether the reader holds it. */
  readable: Type.Boolean(),
  fields: Type.Array(LibraryProviderField),
});
export type LibraryProvider = Static<typeof LibraryProvider>;
export const LibraryProviderList = Type.Array(LibraryProvider);
export type LibraryProviderList = Static<typeof LibraryProviderList>;

// ---------------------------------------------------------------- templates

const TemplateName = Name(LIBRARY_TEMPLATE_LIMITS.name);
const Description = Type.String({ maxLength: LIBRARY_TEMPLATE_LIMITS.description });
/** `all`, `businessSystem:<CI id>` or `ciClass:<class code>` (as the reports' scope). */
const ScopeText = Type.String({ maxLength: LIBRARY_TEMPLATE_LIMITS.defaultScope });

export const LibraryTemplateListItem = Type.Object({
  id: Id,
  type: Type.Object({ code: Type.String(), name: Type.String() }),
  name: Type.String(),
  description: Type.String(),
  defaultPeriod: Type.Enum(LIBRARY_TEMPLATE_PERIODS),
  defaultScope: Type.String(),
  /** The placeholders of the body, in order of first appearance (`alerts.summary`, `alerts.summary.count`). */
  placeholders: Type.Array(Type.String()),
  /** Shipped with Yunwei (may be changed, not deleted). */
  builtIn: Type.Boolean(),
  createdAt: Epoch,
  createdBy: Nullable(Person),
  updatedAt: Epoch,
  updatedBy: Nullable(Person),
});
export type LibraryTemplateListItem = Static<typeof LibraryTemplateListItem>;
export const LibraryTemplateList = Type.Array(LibraryTemplateListItem);
export type LibraryTemplateList = Static<typeof LibraryTemplateList>;

export const LibraryTemplate = Type.Object({ ...LibraryTemplateListItem.properties, body: LibraryBody });
export type LibraryTemplate = Static<typeof LibraryTemplate>;

export const LibraryTemplateQuery = Type.Object({ type: Type.Optional(TypeCode) }, { additionalProperties: false });
export type LibraryTemplateQuery = Static<typeof LibraryTemplateQuery>;

export const LibraryTemplateCreate = Type.Object(
  {
    typeCode: TypeCode,
    name: TemplateName,
    description: Type.Optional(Description),
    body: LibraryBody,
    defaultPeriod: Type.Optional(Type.Enum(LIBRARY_TEMPLATE_PERIODS)),
    defaultScope: Type.Optional(ScopeText),
  },
  { additionalProperties: false },
);
export type LibraryTemplateCreate = Static<typeof LibraryTemplateCreate>;

export const LibraryTemplateUpdate = Type.Partial(Type.Omit(LibraryTemplateCreate, ['typeCode']), { additionalProperties: false, minProperties: 1 });
export type LibraryTemplateUpdate = Static<typeof LibraryTemplateUpdate>;

/**
 * Generates a document from the template: its placeholders filled by the providers, run as the requesting
 * person over the period and scope. The period: `from`/`to` (both), else `period` (the previous whole week,
 * month or quarter in the server's time zone), else the template's default. With `documentId` (a published
 * document of the template's type) the result is that document's next draft version instead of a new document.
 */
export const LibraryTemplateGenerate = Type.Object(
  {
    /** The new document's title (required without documentId; with it, the document's new title if given). */
    title: Type.Optional(Name(200)),
    period: Type.Optional(Type.Enum(LIBRARY_TEMPLATE_PERIODS)),
    from: Type.Optional(Epoch),
    to: Type.Optional(Epoch),
    /** Default: the template's default scope. */
    scope: Type.Optional(ScopeText),
    orgUnitId: Type.Optional(Nullable(Id)),
    documentId: Type.Optional(Id),
    changeNote: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type LibraryTemplateGenerate = Static<typeof LibraryTemplateGenerate>;
