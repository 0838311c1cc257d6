import type { IDENTITY_PERMISSIONS } from '@yunwei/contracts/identity';

/**
 * The first-day set-up's permission, spelled out: the router imports this file, and a value import of
 * the contracts would bring their schemas into the first screen.
 */
export const DUTY_SETUP_PERMISSION = 'identity.duty.setup' satisfies typeof IDENTITY_PERMISSIONS.dutySetup;

/** Where a sign-in goes once the password is changed and MFA enrolled: the 三员 wizard for those who may run it (it goes home when nothing is left to set up). */
export function pathAfterFirstSignIn(permissions: readonly string[]): string {
  return permissions.includes(DUTY_SETUP_PERMISSION) ? '/setup/duty-accounts' : '/';
}
