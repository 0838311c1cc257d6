import type { ReactNode } from 'react';
import { useAuth } from '../auth-context';
import { ForbiddenResult } from '../../shared/components/forbidden-result';

export function RequirePermission({ permission, children }: { permission: string; children: ReactNode }) {
  const { can } = useAuth();
  if (!can(permission)) {
    return <ForbiddenResult permission={permission} />;
  }
  return children;
}
