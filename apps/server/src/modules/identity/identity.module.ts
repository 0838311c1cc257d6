import { IDENTITY_PERMISSIONS as P } from '@yunwei/contracts/identity';
import { defineModule, type ModuleContext, type YunweiApp } from '../../platform/module.js';
import { bootstrapAdmin } from './admin-bootstrap.js';
import { authRoutes } from './auth.routes.js';
import { dutyAccountRoutes } from './duty-accounts.routes.js';
import { identityMigrations } from './identity.migrations.js';
import { policyRoutes, tokenRoutes, userRoutes } from './identity.routes.js';
import './identity.tables.js';

export const identityModule = defineModule({
  id: 'identity',
  name: { zh: '身份与认证', en: 'Identity' },
  skills: ['L4-1.1.2', 'L3-1.1.2'],
  permissions: [
    { id: P.userRead, name: { zh: '查看用户', en: 'View users' }, grants: ['system_admin', 'security_admin', 'audit_admin', 'viewer'] },
    { id: P.userWrite, name: { zh: '管理用户（创建、修改、重置密码、解锁）', en: 'Manage users (create, edit, reset password, unlock)' }, grants: ['system_admin'] },
    { id: P.policyRead, name: { zh: '查看安全策略', en: 'View the security policy' }, grants: ['system_admin', 'security_admin', 'audit_admin'] },
    { id: P.policyWrite, name: { zh: '修改安全策略', en: 'Change the security policy' }, grants: ['security_admin'], reserved: true },
    // The security administrator, not the system administrator who resets passwords, resets MFA: with the
    // built-in roles, taking over an account protected by both factors needs both administrators.
    { id: P.mfaReset, name: { zh: '重置用户的多因素认证', en: "Reset a user's multi-factor authentication" }, grants: ['security_admin'] },
    // Only while nobody else holds those duties (DutyAccountsService): a fresh install gets its three
    // administrators from the system administrator, who cannot otherwise assign roles.
    { id: P.dutySetup, name: { zh: '首次设置安全管理员与审计管理员账号（仅在尚无人担任时）', en: 'Set up the security and audit administrator accounts (only while nobody holds those duties)' }, grants: ['system_admin'] },
    { id: P.tokenUse, name: { zh: '创建和使用个人 API 令牌', en: 'Create and use personal API tokens' }, grants: ['system_admin', 'security_admin', 'audit_admin', 'operator'] },
  ],
  migrations: identityMigrations,
  routes: (app: YunweiApp, ctx: ModuleContext) => {
    authRoutes(app, ctx);
    userRoutes(app, ctx);
    policyRoutes(app, ctx);
    tokenRoutes(app, ctx);
    dutyAccountRoutes(app, ctx);
  },
  onStart: bootstrapAdmin,
});
