import { useTranslation } from 'react-i18next';
import type { BuiltinRoleKind } from '@yunwei/contracts/access';

/** The built-in role templates (岗位职责), in display order. */
export const BUILTIN_ROLE_KINDS = [
  'system_admin',
  'security_admin',
  'audit_admin',
  'operator',
  'viewer',
] as const satisfies readonly BuiltinRoleKind[];

export type KnownRoleKind = (typeof BUILTIN_ROLE_KINDS)[number] | 'custom';

const COLORS: Record<KnownRoleKind, string> = {
  system_admin: 'geekblue',
  security_admin: 'volcano',
  audit_admin: 'purple',
  operator: 'cyan',
  viewer: 'default',
  custom: 'gold',
};

export function isKnownRoleKind(kind: string): kind is KnownRoleKind {
  return kind in COLORS;
}

export function roleKindColor(kind: string): string {
  return isKnownRoleKind(kind) ? COLORS[kind] : 'default';
}

/** (kind) => "系统管理员" / "System administrator"; unknown kinds are shown as they are. */
export function useRoleKindLabel(): (kind: string) => string {
  const { t } = useTranslation();
  return (kind) => (isKnownRoleKind(kind) ? t(`roleKind.${kind}`) : kind);
}
