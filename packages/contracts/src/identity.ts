import Type, { type Static } from 'typebox';
import { AssignmentView, PERMISSION_PATTERN, RoleAssignment, type PermissionId } from './access.js';
import { Epoch, Id, Name, Page, PageQuery } from './common.js';

export const IDENTITY_PERMISSIONS = {
  userRead: 'identity.user.read',
  userWrite: 'identity.user.write',
  policyRead: 'identity.policy.read',
  policyWrite: 'identity.policy.write',
  tokenUse: 'identity.token.use',
  mfaReset: 'identity.mfa.reset',
  /** First day: create the security and audit administrator accounts while nobody else holds those duties. */
  dutySetup: 'identity.duty.setup',
} as const satisfies Record<string, PermissionId>;

export const USERNAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._@-]*$';
export const Username = Type.String({ minLength: 2, maxLength: 64, pattern: USERNAME_PATTERN });
const Password = Type.String({ minLength: 1, maxLength: 256 });
const Email = Type.String({ maxLength: 200, pattern: '^$|^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$' });
const Phone = Type.String({ maxLength: 32, pattern: '^[0-9+() -]*$' });

export const User = Type.Object({
  id: Id,
  username: Type.String(),
  displayName: Type.String(),
  email: Type.String(),
  phone: Type.String(),
  orgUnitId: Type.Union([Id, Type.Null()]),
  status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
  locked: Type.Boolean(),
  lockedUntil: Type.Union([Epoch, Type.Null()]),
  mfaEnabled: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
  passwordChangedAt: Type.Union([Epoch, Type.Null()]),
  lastLoginAt: Type.Union([Epoch, Type.Null()]),
  roles: Type.Array(AssignmentView),
  createdAt: Epoch,
  updatedAt: Epoch,
});
export type User = Static<typeof User>;
export const UserList = Page(User);

export const UserSortField = Type.Union([
  Type.Literal('username'),
  Type.Literal('displayName'),
  Type.Literal('createdAt'),
  Type.Literal('lastLoginAt'),
]);
export const UserQuery = Type.Object(
  {
    ...PageQuery,
    orgUnitId: Type.Optional(Id),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])),
    sort: Type.Optional(UserSortField),
    order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
  },
  { additionalProperties: false },
);
export type UserQuery = Static<typeof UserQuery>;

export const UserCreate = Type.Object(
  {
    username: Username,
    displayName: Name(64),
    email: Type.Optional(Email),
    phone: Type.Optional(Phone),
    orgUnitId: Type.Optional(Type.Union([Id, Type.Null()])),
    /** Initial password; the user must change it at first login. */
    password: Password,
    roles: Type.Optional(Type.Array(RoleAssignment, { maxItems: 50 })),
  },
  { additionalProperties: false },
);
export type UserCreate = Static<typeof UserCreate>;

export const UserUpdate = Type.Object(
  {
    displayName: Type.Optional(Name(64)),
    email: Type.Optional(Email),
    phone: Type.Optional(Phone),
    orgUnitId: Type.Optional(Type.Union([Id, Type.Null()])),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UserUpdate = Static<typeof UserUpdate>;

export const PasswordReset = Type.Object(
  {
    password: Password,
    /** Revoke the user's personal API tokens too (default true: whoever knew the old password may hold one). */
    revokeTokens: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type PasswordReset = Static<typeof PasswordReset>;

// ---- authentication ----
export const LoginBody = Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }), password: Password }, { additionalProperties: false });
export type LoginBody = Static<typeof LoginBody>;
export const MfaBody = Type.Object({ code: Type.String({ pattern: '^[0-9]{6}$' }) }, { additionalProperties: false });
export type MfaBody = Static<typeof MfaBody>;
export const PasswordChange = Type.Object({ currentPassword: Password, newPassword: Password }, { additionalProperties: false });
export type PasswordChange = Static<typeof PasswordChange>;

export const SessionState = Type.Object({
  user: Type.Object({ id: Id, username: Type.String(), displayName: Type.String(), orgUnitId: Type.Union([Id, Type.Null()]) }),
  /** What the user must do before anything else: `mfa` (enter code), `password`, `mfa-enrol`, or nothing. */
  pending: Type.Union([Type.Literal('mfa'), Type.Literal('password'), Type.Literal('mfa-enrol'), Type.Null()]),
  permissions: Type.Array(Type.String()),
  roleKinds: Type.Array(Type.String()),
  /** The roles held (built-in ones are best shown by their kind's localized name). */
  roles: Type.Array(Type.Object({ id: Id, name: Type.String(), kind: Type.String() })),
  mfaEnabled: Type.Boolean(),
  csrfToken: Type.String(),
  idleTimeoutMinutes: Type.Integer(),
  expiresAt: Epoch,
});
export type SessionState = Static<typeof SessionState>;
/**
 * `GET /api/auth/probe`: whether the caller is signed in, answered 200 either way (the sign-in page asks
 * it on every visit; a 401 there is logged by the browser as an error). Anonymous callers learn nothing
 * but `signedIn: false`.
 */
export const SessionProbe = Type.Object({ signedIn: Type.Boolean(), session: Type.Optional(SessionState) });
export type SessionProbe = Static<typeof SessionProbe>;

export const MfaEnrolment = Type.Object({ secret: Type.String(), otpauthUrl: Type.String() });
/**
 * Starting a TOTP enrolment. Once MFA is on, replacing the authenticator needs the password and a
 * current code from the old one (or an administrator's MFA reset); the first enrolment needs neither.
 */
export const MfaEnrolStart = Type.Object(
  { currentPassword: Type.Optional(Password), code: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })) },
  { additionalProperties: false },
);
export type MfaEnrolStart = Static<typeof MfaEnrolStart>;
export type MfaEnrolment = Static<typeof MfaEnrolment>;

// ---- security policy ----
export const SecurityPolicy = Type.Object(
  {
    passwordMinLength: Type.Integer({ minimum: 6, maximum: 128 }),
    /** How many of the four classes (lower, upper, digit, symbol) a password needs. */
    passwordMinClasses: Type.Integer({ minimum: 1, maximum: 4 }),
    passwordHistory: Type.Integer({ minimum: 0, maximum: 24 }),
    /** 0 = never expires. */
    passwordMaxAgeDays: Type.Integer({ minimum: 0, maximum: 3650 }),
    lockoutThreshold: Type.Integer({ minimum: 1, maximum: 100 }),
    lockoutMinutes: Type.Integer({ minimum: 1, maximum: 1440 }),
    sessionIdleMinutes: Type.Integer({ minimum: 1, maximum: 1440 }),
    sessionAbsoluteHours: Type.Integer({ minimum: 1, maximum: 720 }),
    /** Built-in role kinds whose holders must use TOTP. */
    mfaRequiredRoles: Type.Array(Type.String({ maxLength: 32 }), { maxItems: 10, uniqueItems: true }),
    /** 三员分立: enforce the incompatible-role rules and reserve role/policy changes to the security administrator. */
    separationOfDuties: Type.Boolean(),
    auditRetentionDays: Type.Integer({ minimum: 180, maximum: 36500 }),
  },
  { additionalProperties: false },
);
export type SecurityPolicy = Static<typeof SecurityPolicy>;
export const SecurityPolicyUpdate = Type.Partial(SecurityPolicy, { additionalProperties: false, minProperties: 1 });
export type SecurityPolicyUpdate = Static<typeof SecurityPolicyUpdate>;

/** 等保 2.0 level 3 defaults live in a file without TypeBox so that the web bundle can import them. */
export { DEFAULT_SECURITY_POLICY } from './security-defaults.js';

// ---- API tokens ----
export const ApiToken = Type.Object({
  id: Id,
  name: Type.String(),
  prefix: Type.String(),
  scopes: Type.Array(Type.String()),
  expiresAt: Type.Union([Epoch, Type.Null()]),
  lastUsedAt: Type.Union([Epoch, Type.Null()]),
  createdAt: Epoch,
  revoked: Type.Boolean(),
});
export type ApiToken = Static<typeof ApiToken>;
export const ApiTokenList = Type.Array(ApiToken);
export const ApiTokenCreate = Type.Object(
  {
    name: Name(64),
    scopes: Type.Array(Type.String({ pattern: PERMISSION_PATTERN, maxLength: 100 }), { minItems: 1, maxItems: 200, uniqueItems: true }),
    /** Days until it expires (1 to 3650). */
    expiresInDays: Type.Integer({ minimum: 1, maximum: 3650 }),
  },
  { additionalProperties: false },
);
export type ApiTokenCreate = Static<typeof ApiTokenCreate>;
/** The secret is in this response only; it is stored hashed. */
export const ApiTokenCreated = Type.Object({ token: ApiToken, secret: Type.String() });
