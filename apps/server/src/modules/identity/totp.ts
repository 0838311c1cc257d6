import * as OTPAuth from 'otpauth';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

/** The authenticator-app settings every enrolment uses (RFC 6238 defaults that all apps understand). */
export function totpOf(secretBase32: string, username: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({ issuer: 'Yunwei', label: username, algorithm: 'SHA1', digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secretBase32) });
}

/**
 * The 30-second time step a code belongs to, or null when it is wrong. One step either side is
 * accepted so that a phone clock a little off still works.
 */
export function totpStep(secretBase32: string, username: string, code: string, now = Date.now()): number | null {
  const totp = totpOf(secretBase32, username);
  const delta = totp.validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? null : totp.counter({ timestamp: now }) + delta;
}

/**
 * Spends a code's time step for the user: true when no code of this step or a later one was accepted
 * before. A single conditional UPDATE, so of two requests racing with the same code exactly one wins.
 */
export async function spendTotpStep(db: Kysely<Database>, userId: string, step: number): Promise<boolean> {
  const result = await db
    .updateTable('user')
    .set({ mfa_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('mfa_last_step', 'is', null), eb('mfa_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
