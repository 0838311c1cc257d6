import Type, { type Static } from 'typebox';
import type { PermissionId } from './access.js';
import { Epoch, Id, Name } from './common.js';

export const ORG_PERMISSIONS = {
  unitRead: 'org.unit.read',
  unitWrite: 'org.unit.write',
} as const satisfies Record<string, PermissionId>;

export const OrgUnit = Type.Object({
  id: Id,
  parentId: Type.Union([Id, Type.Null()]),
  name: Type.String(),
  code: Type.String(),
  sortOrder: Type.Integer(),
  /** The unit's leader (负责人): approves steps whose approver is "the org unit's leader". */
  leaderId: Type.Union([Id, Type.Null()]),
  /** The leader's display name (people read names). */
  leaderName: Type.Union([Type.String(), Type.Null()]),
  userCount: Type.Integer(),
  createdAt: Epoch,
  updatedAt: Epoch,
});
export type OrgUnit = Static<typeof OrgUnit>;
export const OrgUnitList = Type.Array(OrgUnit);

export const OrgUnitCreate = Type.Object(
  {
    name: Name(64),
    parentId: Type.Optional(Type.Union([Id, Type.Null()])),
    code: Type.Optional(Type.String({ maxLength: 32, pattern: '^[A-Za-z0-9_-]*$' })),
    sortOrder: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
    /** An active user; null: no leader (approvals then ask the parent unit's leader). */
    leaderId: Type.Optional(Type.Union([Id, Type.Null()])),
  },
  { additionalProperties: false },
);
export type OrgUnitCreate = Static<typeof OrgUnitCreate>;
export const OrgUnitUpdate = Type.Partial(OrgUnitCreate, { additionalProperties: false, minProperties: 1 });
export type OrgUnitUpdate = Static<typeof OrgUnitUpdate>;
