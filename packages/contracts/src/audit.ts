import Type, { type Static } from 'typebox';
import type { PermissionId } from './access.js';
import { Epoch, PageQuery, Page } from './common.js';

export const AUDIT_PERMISSIONS = {
  logRead: 'audit.log.read',
  logExport: 'audit.log.export',
  logVerify: 'audit.log.verify',
} as const satisfies Record<string, PermissionId>;

export const AuditEntry = Type.Object({
  id: Type.Integer(),
  ts: Epoch,
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorName: Type.String(),
  ip: Type.String(),
  action: Type.String(),
  targetType: Type.String(),
  targetId: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.Union([Type.Literal('success'), Type.Literal('failure')]),
  before: Type.Unknown(),
  after: Type.Unknown(),
  hash: Type.String(),
});
export type AuditEntry = Static<typeof AuditEntry>;
export const AuditList = Page(AuditEntry);

export const AuditQuery = Type.Object(
  {
    ...PageQuery,
    from: Type.Optional(Epoch),
    to: Type.Optional(Epoch),
    actor: Type.Optional(Type.String({ maxLength: 64 })),
    action: Type.Optional(Type.String({ maxLength: 100 })),
    targetType: Type.Optional(Type.String({ maxLength: 64 })),
    outcome: Type.Optional(Type.Union([Type.Literal('success'), Type.Literal('failure')])),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;
export const AuditExportQuery = Type.Object(
  { ...AuditQuery.properties, format: Type.Union([Type.Literal('csv'), Type.Literal('xlsx')]) },
  { additionalProperties: false },
);
export type AuditExportQuery = Static<typeof AuditExportQuery>;

/** A signed head of the chain, as exported to the anchor file an auditor keeps. */
export const AuditAnchor = Type.Object({
  /** The entry at the head. */
  seq: Type.Integer(),
  hash: Type.String(),
  /** Entries appended up to it. */
  count: Type.Integer(),
  time: Epoch,
});
export type AuditAnchor = Static<typeof AuditAnchor>;

export const AuditVerifyResult = Type.Object({
  ok: Type.Boolean(),
  checked: Type.Integer(),
  /** The first row whose hash or link does not match, or the recorded head, if any. */
  brokenAt: Type.Union([Type.Integer(), Type.Null()]),
  /** Starts with what failed: `head`, `seal`, `link`, `hash` or `count`. */
  reason: Type.Union([Type.String(), Type.Null()]),
  /** The last head exported to the anchor file (null: none yet). */
  lastAnchor: Type.Union([AuditAnchor, Type.Null()]),
  verifiedAt: Epoch,
});
export type AuditVerifyResult = Static<typeof AuditVerifyResult>;
