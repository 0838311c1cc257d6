import { useTranslation } from 'react-i18next';
import { ROLE_KIND_DUTIES, type BuiltinRoleKind } from '@yunwei/contracts/access';
import { localized } from '../../app/i18n';
import { useLanguage } from '../../app/use-language';

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

const isBuiltinKind = (kind: string): kind is BuiltinRoleKind => kind !== 'custom' && isKnownRoleKind(kind);

/**
 * (name, kind) => what a role is called here: a built-in role (stored with its Chinese name, and not
 * editable) by the name of its kind in the current language; a custom role by the name it was given.
 */
export function useRoleName(): (name: string, kind: string) => string {
  const kindLabel = useRoleKindLabel();
  return (name, kind) => (isBuiltinKind(kind) ? kindLabel(kind) : name);
}

/** (description, kind) => a built-in role's duties in the current language; a custom role's description as written. */
export function useRoleDescription(): (description: string, kind: string) => string {
  const [language] = useLanguage();
  return (description, kind) => (isBuiltinKind(kind) ? localized(ROLE_KIND_DUTIES[kind], language) : description);
}
