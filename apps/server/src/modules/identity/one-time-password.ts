import { randomInt } from 'node:crypto';
import type { SecurityPolicy } from '@yunwei/contracts/identity';
import { passwordProblems } from './password-rules.js';

// No look-alikes (0/O, 1/l/I), so a password read off a screen is typed right the first time.
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
const SYMBOLS = '#%+-=@_';
const ALL = LOWER + UPPER + DIGITS + SYMBOLS;

function pick(alphabet: string): string {
  return alphabet[randomInt(alphabet.length)]!;
}

/**
 * A random initial password that the security policy accepts whatever its settings: every character
 * class, at least 16 characters (more when the policy asks), never containing the user name. About
 * 6 bits per character, so 16 characters give ~95 bits. The holder must change it at first sign-in.
 */
export function oneTimePassword(policy: SecurityPolicy, username: string): string {
  const length = Math.max(16, policy.passwordMinLength);
  for (;;) {
    const chars = [pick(LOWER), pick(UPPER), pick(DIGITS), pick(SYMBOLS)];
    while (chars.length < length) {
      chars.push(pick(ALL));
    }
    // Fisher–Yates, so the guaranteed classes do not always open the password.
    for (let i = chars.length - 1; i > 0; i--) {
      const j = randomInt(i + 1);
      [chars[i], chars[j]] = [chars[j]!, chars[i]!];
    }
    const password = chars.join('');
    if (passwordProblems(password, policy, username).length === 0) {
      return password;
    }
  }
}
