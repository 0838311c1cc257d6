import Type, { type Static } from 'typebox';
import type { PermissionId } from './access.js';
import { Epoch, Id, Name, Page } from './common.js';
import { DOCUMENT_FORMATS } from './documents.js';

/**
 * The document library (文档库): the operations documents an organisation keeps (监控制度, 应急预案, 维护计划 …),
 * written in the rich-text editor (Tiptap) or imported from Word, approved through the approval engine,
 * published, versioned (v1.0, v1.1 …, side-by-side diff), reviewed periodically, linked to what they are about,
 * searched over titles and bodies, and downloaded as Word or PDF.
 *
 * Life cycle of a version: draft → in_review → approved → published → superseded. A draft is edited in place;
 * in_review and approved versions are locked (YW_LIBRARY_VERSION_LOCKED); a rejected or withdrawn review returns the
 * version to draft. A document type without an approval flow goes from draft straight to approved on submit.
 * A published document gets new versions as drafts (`POST …/versions`); publishing one supersedes the previous.
 * Retiring a document (any state but in_review) ends it: it stays readable, nothing more can be changed.
 *
 * Routes (all under /api/library):
 * - GET    /types                                  LibraryTypeList                    library.document.read
 * - POST   /types                                  LibraryTypeCreate → LibraryType     library.type.manage
 * - PATCH  /types/:code                            LibraryTypeUpdate → LibraryType     library.type.manage
 * - DELETE /types/:code                            → Ok (built-in or used: 409)        library.type.manage
 * - GET    /documents                              LibraryDocumentQuery → LibraryDocumentList   library.document.read
 * - POST   /documents                              LibraryDocumentCreate → LibraryDocumentDetail library.document.write
 * - GET    /documents/:id                          → LibraryDocumentDetail             library.document.read
 * - PATCH  /documents/:id                          LibraryDocumentUpdate → LibraryDocumentDetail (edits the draft) library.document.write
 * - POST   /documents/:id/submit                   LibrarySubmit → LibraryDocumentDetail   library.document.write
 * - POST   /documents/:id/publish                  LibraryPublish → LibraryDocumentDetail  library.document.publish
 * - POST   /documents/:id/retire                   LibraryRetire → LibraryDocumentDetail   library.document.publish
 * - POST   /documents/:id/versions                 LibraryNewVersion → LibraryDocumentDetail library.document.write
 * - GET    /documents/:id/versions/:versionId      → LibraryVersionDetail              library.document.read
 * - GET    /documents/:id/versions/:versionId/download?format=docx|pdf → the file   library.document.read
 * - GET    /documents/:id/diff?left=&right=        LibraryDiffQuery → LibraryDiff      library.document.read
 * - POST   /documents/:id/links                    LibraryLinkCreate → LibraryLink     library.document.write
 * - DELETE /documents/:id/links/:linkId            → Ok                                library.document.write
 * - POST   /import                                 raw .docx body (Content-Type DOCX_TYPE, ≤ LIBRARY_LIMITS.importBytes)
 *                                                  → LibraryImportResult (HTML for the editor) library.document.write
 * Withdrawing a review is done through the approvals API (`POST /api/approvals/requests/:id/withdraw`).
 */
export const LIBRARY_PERMISSIONS = {
  read: 'library.document.read',
  /** Create and edit drafts, submit them for approval, start new versions, link documents. */
  write: 'library.document.write',
  /** Publish approved versions and retire documents. */
  publish: 'library.document.publish',
  /** Add document types, change their approval flow and review period. */
  typeManage: 'library.type.manage',
} as const satisfies Record<string, PermissionId>;

/** The approval engine's subject type of a version under review. */
export const LIBRARY_SUBJECT_TYPE = 'library.document-version';
/** The approval flow the built-in types start with (seeded by the approvals module; administrators may pick another per type). */
export const LIBRARY_DEFAULT_FLOW = 'document.default';

export const LIBRARY_LIMITS = {
  title: 200,
  changeNote: 1000,
  /** The editor's JSON, images included (UTF-8 bytes). */
  bodyBytes: 2 * 1024 * 1024,
  /** One picture's bytes (decoded). */
  imageBytes: 1024 * 1024,
  /** Nesting of nodes in the editor's JSON. */
  depth: 20,
  /** Links of one document. */
  links: 200,
  /** Review period of a type, months (10 years). */
  reviewMonths: 120,
  /** An uploaded .docx. */
  importBytes: 10 * 1024 * 1024,
  /** Uncompressed size of an uploaded .docx. */
  importUncompressedBytes: 32 * 1024 * 1024,
  /** Rows of one diff. */
  diffRows: 5000,
  typeCode: 40,
  numberPrefix: 12,
} as const;

/** The types Yunwei ships (seeded; they cannot be deleted, their flow and review period may change). */
export const BUILT_IN_DOCUMENT_TYPES = [
  { code: 'monitoring_policy', nameZh: '监控制度', nameEn: 'Monitoring policy', numberPrefix: 'JKZD', reviewMonths: 12 },
  { code: 'operation_status_report', nameZh: '系统运行状况报告', nameEn: 'System operation status report', numberPrefix: 'YXBG', reviewMonths: 12 },
  { code: 'performance_assessment', nameZh: '系统性能评估报告', nameEn: 'System performance assessment report', numberPrefix: 'XNPG', reviewMonths: 12 },
  { code: 'fault_procedure', nameZh: '故障处理规程', nameEn: 'Fault handling procedure', numberPrefix: 'GZGC', reviewMonths: 12 },
  { code: 'fault_analysis', nameZh: '故障分析报告', nameEn: 'Fault analysis report', numberPrefix: 'GZFX', reviewMonths: 24 },
  { code: 'maintenance_plan', nameZh: '维护计划', nameEn: 'Maintenance plan', numberPrefix: 'WHJH', reviewMonths: 12 },
  { code: 'maintenance_management', nameZh: '维护管理方案', nameEn: 'Maintenance management plan', numberPrefix: 'WHFA', reviewMonths: 12 },
  { code: 'backup_recovery', nameZh: '数据备份恢复方案', nameEn: 'Data backup and recovery plan', numberPrefix: 'BFHF', reviewMonths: 12 },
  { code: 'security_protection', nameZh: '安全防护方案', nameEn: 'Security protection plan', numberPrefix: 'AQFH', reviewMonths: 12 },
  { code: 'emergency_plan', nameZh: '应急预案', nameEn: 'Emergency plan', numberPrefix: 'YJYA', reviewMonths: 12 },
  { code: 'emergency_response_report', nameZh: '应急响应报告', nameEn: 'Emergency response report', numberPrefix: 'YJBG', reviewMonths: 24 },
  { code: 'operation_standard', nameZh: '业务操作规范', nameEn: 'Business operation standard', numberPrefix: 'CZGF', reviewMonths: 12 },
  { code: 'operation_manual', nameZh: '业务操作手册', nameEn: 'Business operation manual', numberPrefix: 'CZSC', reviewMonths: 12 },
  { code: 'data_classification', nameZh: '数据分级分类管理规范', nameEn: 'Data classification and grading standard', numberPrefix: 'SJFJ', reviewMonths: 12 },
  { code: 'training_plan', nameZh: '培训方案', nameEn: 'Training plan', numberPrefix: 'PXFA', reviewMonths: 12 },
] as const;

/** Where a document is in its life (the state of its newest version, or retired). */
export const LIBRARY_DOCUMENT_STATUSES = ['draft', 'in_review', 'approved', 'published', 'retired'] as const;
export type LibraryDocumentStatus = (typeof LIBRARY_DOCUMENT_STATUSES)[number];

export const LIBRARY_VERSION_STATUSES = ['draft', 'in_review', 'approved', 'published', 'superseded'] as const;
export type LibraryVersionStatus = (typeof LIBRARY_VERSION_STATUSES)[number];

/** How the last review of a version ended (shown on a draft sent back). */
export const LIBRARY_REVIEW_OUTCOMES = ['approved', 'rejected', 'withdrawn'] as const;
export type LibraryReviewOutcome = (typeof LIBRARY_REVIEW_OUTCOMES)[number];

/** What a document may be about. business_system is a CI of class business_system in the CMDB. */
export const LIBRARY_LINK_KINDS = ['ci', 'business_system', 'check', 'alert', 'document'] as const;
export type LibraryLinkKind = (typeof LIBRARY_LINK_KINDS)[number];

const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Person = Type.Object({ id: Id, name: Type.String() });

// ---------------------------------------------------------------- types

export const TypeCode = Type.String({ minLength: 2, maxLength: LIBRARY_LIMITS.typeCode, pattern: '^[a-z][a-z0-9_]*$', description: 'lower-case letters, digits and underscores, starting with a letter' });
export const NumberPrefix = Type.String({ minLength: 1, maxLength: LIBRARY_LIMITS.numberPrefix, pattern: '^[A-Z][A-Z0-9]*$', description: 'upper-case letters and digits, starting with a letter' });
const FlowCodeRef = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z][a-z0-9_.-]*$' });
const ReviewMonths = Type.Integer({ minimum: 1, maximum: LIBRARY_LIMITS.reviewMonths });

export const LibraryType = Type.Object({
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  numberPrefix: Type.String(),
  /** The approval flow a version of this type goes through; null: approved on submit, no review. */
  flowCode: Nullable(Type.String()),
  /** The flow's name in the reader's language (null when no flow or the flow no longer exists). */
  flowName: Nullable(Type.String()),
  reviewMonths: Type.Integer(),
  builtIn: Type.Boolean(),
  /** Documents of this type (a used type cannot be deleted). */
  documentCount: Type.Integer(),
  createdAt: Epoch,
  updatedAt: Epoch,
});
export type LibraryType = Static<typeof LibraryType>;
export const LibraryTypeList = Type.Array(LibraryType);
export type LibraryTypeList = Static<typeof LibraryTypeList>;

export const LibraryTypeCreate = Type.Object(
  {
    code: TypeCode,
    nameZh: Name(100),
    nameEn: Name(100),
    numberPrefix: NumberPrefix,
    flowCode: Type.Optional(Nullable(FlowCodeRef)),
    reviewMonths: ReviewMonths,
  },
  { additionalProperties: false },
);
export type LibraryTypeCreate = Static<typeof LibraryTypeCreate>;

export const LibraryTypeUpdate = Type.Partial(Type.Omit(LibraryTypeCreate, ['code']), { additionalProperties: false, minProperties: 1 });
export type LibraryTypeUpdate = Static<typeof LibraryTypeUpdate>;

export const LibraryTypeParams = Type.Object({ code: TypeCode }, { additionalProperties: false });
export type LibraryTypeParams = Static<typeof LibraryTypeParams>;

// ---------------------------------------------------------------- body (the editor's JSON)

/**
 * The ProseMirror JSON Tiptap saves (StarterKit + Table + Image + Underline): `{ type: 'doc', content: [...] }`.
 * The server checks it on write: node types paragraph, heading (levels 1–4), bulletList, orderedList, listItem,
 * blockquote, codeBlock, horizontalRule, hardBreak, text, table, tableRow, tableHeader, tableCell, image; marks
 * bold, italic, underline, strike, code, link; depth ≤ 20; ≤ 2 MB in all; images only data:image/png or
 * data:image/jpeg base64 of ≤ 1 MB each. A bad node is refused with 400 naming its path
 * (e.g. `body.body.content.3.content.0.type`).
 * Headings 1 and 2 become the downloaded document's sections and sub-sections, 3 and 4 headings inside them.
 */
export const LibraryBody = Type.Object(
  {
    type: Type.Literal('doc'),
    content: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 20_000 })),
  },
  { additionalProperties: false },
);
export type LibraryBody = Static<typeof LibraryBody>;

export const LIBRARY_NODE_TYPES = [
  'doc', 'paragraph', 'heading', 'bulletList', 'orderedList', 'listItem', 'blockquote', 'codeBlock', 'horizontalRule',
  'hardBreak', 'text', 'table', 'tableRow', 'tableHeader', 'tableCell', 'image',
] as const;
export const LIBRARY_MARK_TYPES = ['bold', 'italic', 'underline', 'strike', 'code', 'link'] as const;

// ---------------------------------------------------------------- documents

const Title = Name(LIBRARY_LIMITS.title);
const ChangeNote = Type.String({ maxLength: LIBRARY_LIMITS.changeNote });

export const LibraryLinkInput = Type.Object({ kind: Type.Enum(LIBRARY_LINK_KINDS), targetId: Id }, { additionalProperties: false });
export type LibraryLinkInput = Static<typeof LibraryLinkInput>;

export const LibraryDocumentCreate = Type.Object(
  {
    typeCode: TypeCode,
    title: Title,
    /** The unit the document belongs to (data scope); default: the author's own unit. */
    orgUnitId: Type.Optional(Nullable(Id)),
    /** Default: an empty document. */
    body: Type.Optional(LibraryBody),
    changeNote: Type.Optional(ChangeNote),
    links: Type.Optional(Type.Array(LibraryLinkInput, { maxItems: LIBRARY_LIMITS.links })),
  },
  { additionalProperties: false },
);
export type LibraryDocumentCreate = Static<typeof LibraryDocumentCreate>;

/** Edits the document's draft version in place (409 YW_LIBRARY_VERSION_LOCKED when it is not a draft). */
export const LibraryDocumentUpdate = Type.Object(
  {
    title: Type.Optional(Title),
    orgUnitId: Type.Optional(Nullable(Id)),
    body: Type.Optional(LibraryBody),
    changeNote: Type.Optional(ChangeNote),
    /** The draft's `updatedAt` the editor started from: a draft changed since is refused with 409 (no lost edits). */
    baseUpdatedAt: Type.Optional(Epoch),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type LibraryDocumentUpdate = Static<typeof LibraryDocumentUpdate>;

export const LibrarySubmit = Type.Object({ comment: Type.Optional(ChangeNote) }, { additionalProperties: false });
export type LibrarySubmit = Static<typeof LibrarySubmit>;
export const LibraryPublish = Type.Object({ comment: Type.Optional(ChangeNote) }, { additionalProperties: false });
export type LibraryPublish = Static<typeof LibraryPublish>;
export const LibraryRetire = Type.Object({ reason: Type.Optional(ChangeNote) }, { additionalProperties: false });
export type LibraryRetire = Static<typeof LibraryRetire>;

/** A new draft from the newest version: v1.1 after v1.0, or v2.0 with `major`. */
export const LibraryNewVersion = Type.Object(
  { major: Type.Optional(Type.Boolean()), changeNote: Type.Optional(ChangeNote) },
  { additionalProperties: false },
);
export type LibraryNewVersion = Static<typeof LibraryNewVersion>;

export const LibraryDocumentQuery = Type.Object(
  {
    type: Type.Optional(TypeCode),
    status: Type.Optional(Type.Enum(LIBRARY_DOCUMENT_STATUSES)),
    orgUnitId: Type.Optional(Id),
    /** Substring of the title, number or body text (any language, case-insensitive). */
    q: Type.Optional(Type.String({ maxLength: 200 })),
    /** Only documents whose review date has passed. */
    reviewOverdue: Type.Optional(Type.Boolean()),
    /** Only documents linked to this target (with linkKind). */
    linkKind: Type.Optional(Type.Enum(LIBRARY_LINK_KINDS)),
    linkTargetId: Type.Optional(Id),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export type LibraryDocumentQuery = Static<typeof LibraryDocumentQuery>;

const VersionRef = Type.Object({ id: Id, label: Type.String(), status: Type.Enum(LIBRARY_VERSION_STATUSES) });

export const LibraryDocumentListItem = Type.Object({
  id: Id,
  number: Type.String(),
  title: Type.String(),
  type: Type.Object({ code: Type.String(), name: Type.String() }),
  status: Type.Enum(LIBRARY_DOCUMENT_STATUSES),
  orgUnit: Nullable(Type.Object({ id: Id, name: Type.String() })),
  owner: Person,
  /** The version in force (null until the first is published). */
  publishedVersion: Nullable(VersionRef),
  /** The newest version (the one being worked on, or the published one). */
  latestVersion: VersionRef,
  reviewDueAt: Nullable(Epoch),
  reviewOverdue: Type.Boolean(),
  createdAt: Epoch,
  updatedAt: Epoch,
  updatedBy: Nullable(Person),
});
export type LibraryDocumentListItem = Static<typeof LibraryDocumentListItem>;
export const LibraryDocumentList = Page(LibraryDocumentListItem);
export type LibraryDocumentList = Static<typeof LibraryDocumentList>;

export const LibraryVersionSummary = Type.Object({
  id: Id,
  label: Type.String(),
  status: Type.Enum(LIBRARY_VERSION_STATUSES),
  changeNote: Type.String(),
  author: Person,
  updatedBy: Nullable(Person),
  /** The approval request of its newest review (null: never submitted, or the type has no flow). */
  approvalRequestId: Nullable(Id),
  lastReviewOutcome: Nullable(Type.Enum(LIBRARY_REVIEW_OUTCOMES)),
  createdAt: Epoch,
  updatedAt: Epoch,
  publishedAt: Nullable(Epoch),
});
export type LibraryVersionSummary = Static<typeof LibraryVersionSummary>;

export const LibraryLink = Type.Object({
  id: Id,
  kind: Type.Enum(LIBRARY_LINK_KINDS),
  targetId: Type.String(),
  /** The target's name now (null when it no longer exists or is outside the reader's data scope). */
  name: Nullable(Type.String()),
  /** Where the web shows the target (relative path), null when unknown. */
  href: Nullable(Type.String()),
  createdAt: Epoch,
  createdBy: Person,
});
export type LibraryLink = Static<typeof LibraryLink>;

/** Who changed what: the document's own history (from the audit trail), newest first. */
export const LibraryHistoryEntry = Type.Object({
  at: Epoch,
  actor: Nullable(Person),
  /** create, update, submit, approved, rejected, withdrawn, publish, retire, new_version, link, unlink, … */
  action: Type.String(),
  versionLabel: Nullable(Type.String()),
  /** What changed (fields of an edit: title, body, orgUnitId, changeNote) or the comment given. */
  detail: Type.String(),
});
export type LibraryHistoryEntry = Static<typeof LibraryHistoryEntry>;

/** What the reader may do now (state and permissions together), for the page's buttons. */
export const LibraryActions = Type.Object({
  edit: Type.Boolean(),
  submit: Type.Boolean(),
  publish: Type.Boolean(),
  retire: Type.Boolean(),
  newVersion: Type.Boolean(),
  link: Type.Boolean(),
  /** The version under review may be withdrawn: only the person who submitted it (the approval engine's rule). */
  withdraw: Type.Boolean(),
});
export type LibraryActions = Static<typeof LibraryActions>;

export const LibraryDocumentDetail = Type.Object({
  ...LibraryDocumentListItem.properties,
  type: Type.Object({ code: Type.String(), name: Type.String(), flowCode: Nullable(Type.String()), reviewMonths: Type.Integer() }),
  /** All versions, newest first. */
  versions: Type.Array(LibraryVersionSummary),
  /** The newest version's body (what the editor opens). */
  body: LibraryBody,
  links: Type.Array(LibraryLink),
  /** The pending approval request of the newest version (null when none is under way). */
  approvalRequestId: Nullable(Id),
  history: Type.Array(LibraryHistoryEntry),
  actions: LibraryActions,
  retiredAt: Nullable(Epoch),
});
export type LibraryDocumentDetail = Static<typeof LibraryDocumentDetail>;

export const LibraryVersionParams = Type.Object({ id: Id, versionId: Id }, { additionalProperties: false });
export type LibraryVersionParams = Static<typeof LibraryVersionParams>;

export const LibraryVersionDetail = Type.Object({
  ...LibraryVersionSummary.properties,
  documentId: Id,
  number: Type.String(),
  title: Type.String(),
  body: LibraryBody,
});
export type LibraryVersionDetail = Static<typeof LibraryVersionDetail>;

export const LibraryDownloadQuery = Type.Object({ format: Type.Enum(DOCUMENT_FORMATS) }, { additionalProperties: false });
export type LibraryDownloadQuery = Static<typeof LibraryDownloadQuery>;

// ---------------------------------------------------------------- diff

export const LibraryDiffQuery = Type.Object({ left: Id, right: Id }, { additionalProperties: false });
export type LibraryDiffQuery = Static<typeof LibraryDiffQuery>;

export const LIBRARY_DIFF_KINDS = ['same', 'added', 'removed', 'changed'] as const;
export type LibraryDiffKind = (typeof LIBRARY_DIFF_KINDS)[number];

/** One row of the side-by-side view: a block's text on the left (older) and right (newer) version. */
export const LibraryDiffRow = Type.Object({
  kind: Type.Enum(LIBRARY_DIFF_KINDS),
  left: Nullable(Type.String()),
  right: Nullable(Type.String()),
});
export type LibraryDiffRow = Static<typeof LibraryDiffRow>;

export const LibraryDiff = Type.Object({
  left: Type.Object({ id: Id, label: Type.String() }),
  right: Type.Object({ id: Id, label: Type.String() }),
  /** The bodies compared block by block (headings, paragraphs, list items, table rows), in document order. */
  rows: Type.Array(LibraryDiffRow),
  stats: Type.Object({ same: Type.Integer(), added: Type.Integer(), removed: Type.Integer(), changed: Type.Integer() }),
  /** True when rows were cut at LIBRARY_LIMITS.diffRows. */
  truncated: Type.Boolean(),
});
export type LibraryDiff = Static<typeof LibraryDiff>;

// ---------------------------------------------------------------- links

export const LibraryLinkCreate = LibraryLinkInput;
export type LibraryLinkCreate = LibraryLinkInput;
export const LibraryLinkParams = Type.Object({ id: Id, linkId: Id }, { additionalProperties: false });
export type LibraryLinkParams = Static<typeof LibraryLinkParams>;

// ---------------------------------------------------------------- import

/**
 * An uploaded .docx turned into HTML for the editor (the browser loads it into Tiptap, which makes the JSON
 * saved with the new document). Nothing is stored by the import itself.
 */
export const LibraryImportResult = Type.Object({
  html: Type.String(),
  /** What the conversion could not keep (unknown styles, unsupported images …), in English as mammoth says it. */
  warnings: Type.Array(Type.String()),
  /** The first heading or paragraph, to propose as the title. */
  suggestedTitle: Type.String(),
});
export type LibraryImportResult = Static<typeof LibraryImportResult>;
