import type { SecurityPolicy } from './identity.js';

/** 等保 2.0 level 3 practice. */
export const DEFAULT_SECURITY_POLICY: SecurityPolicy = {
  passwordMinLength: 8,
  passwordMinClasses: 3,
  passwordHistory: 5,
  passwordMaxAgeDays: 90,
  lockoutThreshold: 5,
  lockoutMinutes: 15,
  sessionIdleMinutes: 30,
  sessionAbsoluteHours: 12,
  mfaRequiredRoles: ['system_admin', 'security_admin', 'audit_admin'],
  separationOfDuties: true,
  auditRetentionDays: 180,
};
