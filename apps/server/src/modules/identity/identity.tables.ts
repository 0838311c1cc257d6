export interface UserTable {
  id: string;
  username: string;
  display_name: string;
  email: string;
  phone: string;
  org_unit_id: string | null;
  status: 'active' | 'disabled';
  password_hash: string;
  password_changed_at: number | null;
  must_change_password: number;
  failed_attempts: number;
  locked_until: number | null;
  /** TOTP seed sealed with the master key; null until enrolment is confirmed. */
  mfa_secret: string | null;
  mfa_pending_secret: string | null;
  /** TOTP time step (unix time / 30 s) of the last code accepted: that code and older ones are refused. */
  mfa_last_step: number | null;
  last_login_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface PasswordHistoryTable {
  user_id: string;
  password_hash: string;
  created_at: number;
}

export interface SessionTable {
  /** SHA-256 of the cookie value; the cookie itself is never stored. */
  id: string;
  user_id: string;
  state: 'mfa' | 'active';
  csrf_token: string;
  ip: string;
  user_agent: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export interface ApiTokenTable {
  id: string;
  user_id: string;
  name: string;
  /** First characters of the secret, to recognise it in lists. */
  prefix: string;
  token_hash: string;
  scopes: string;
  expires_at: number;
  last_used_at: number | null;
  created_at: number;
  revoked_at: number | null;
}

export interface SecurityPolicyTable {
  id: number;
  policy: string;
  updated_at: number;
}

declare module '../../db/schema.js' {
  interface Database {
    user: UserTable;
    password_history: PasswordHistoryTable;
    session: SessionTable;
    api_token: ApiTokenTable;
    security_policy: SecurityPolicyTable;
  }
}
