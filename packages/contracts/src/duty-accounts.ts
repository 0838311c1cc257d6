import Type, { type Static } from 'typebox';
import { Id, Name } from './common.js';
import { Username } from './identity.js';

/**
 * First-day set-up of 三员分立: the security and the audit administrator accounts, created by the
 * system administrator (web wizard, `POST /api/setup/duty-accounts`) or on the host (`yunwei init`)
 * while nobody else holds those duties. Each gets a one-time password shown once.
 */

/** The two duties the set-up creates accounts for. */
export const DUTY_ACCOUNT_KINDS = ['security_admin', 'audit_admin'] as const;
export type DutyAccountKind = (typeof DUTY_ACCOUNT_KINDS)[number];

export const DutyAccountInput = Type.Object({ username: Username, displayName: Name(64) }, { additionalProperties: false });
export type DutyAccountInput = Static<typeof DutyAccountInput>;

export const DutyAccountsCreate = Type.Object(
  {
    securityAdmin: Type.Optional(DutyAccountInput),
    auditAdmin: Type.Optional(DutyAccountInput),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type DutyAccountsCreate = Static<typeof DutyAccountsCreate>;

const DutyKind = Type.Union([Type.Literal('security_admin'), Type.Literal('audit_admin')]);
const AdminKind = Type.Union([Type.Literal('system_admin'), Type.Literal('security_admin'), Type.Literal('audit_admin')]);

export const DutyAccountCreated = Type.Object({
  id: Id,
  username: Type.String(),
  displayName: Type.String(),
  roleKind: DutyKind,
  /** Shown this once; the holder must change it (and enrol MFA) at first sign-in. */
  initialPassword: Type.String(),
});
export type DutyAccountCreated = Static<typeof DutyAccountCreated>;

const Person = Type.Object({ id: Id, username: Type.String(), displayName: Type.String() });

export const DutyAccountsCreated = Type.Object({
  accounts: Type.Array(DutyAccountCreated),
  /** Who held the security duty together with the system duty and handed it over to the new security administrator. */
  handedOver: Type.Array(Person),
});
export type DutyAccountsCreated = Static<typeof DutyAccountsCreated>;

export const DutyHolder = Type.Object({
  id: Id,
  username: Type.String(),
  displayName: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
  /** The other administrator roles this person holds too (empty: the duty has a person of its own). */
  alsoHolds: Type.Array(AdminKind),
});
export type DutyHolder = Static<typeof DutyHolder>;

export const DutyState = Type.Object({
  holders: Type.Array(DutyHolder),
  /** Someone holds the duty and no other administrator role. */
  dedicated: Type.Boolean(),
  /** The caller may create this duty's account now (otherwise the endpoint answers 409). */
  open: Type.Boolean(),
});
export type DutyState = Static<typeof DutyState>;

export const DutyAccountsStatus = Type.Object({ securityAdmin: DutyState, auditAdmin: DutyState });
export type DutyAccountsStatus = Static<typeof DutyAccountsStatus>;
