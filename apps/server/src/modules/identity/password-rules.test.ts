import { DEFAULT_SECURITY_POLICY } from '@yunwei/contracts/identity';
import { describe, expect, it } from 'vitest';
import { passwordExpired, passwordProblems } from './password-rules.js';

describe('password rules (等保 2.0 level 3 defaults)', () => {
  const policy = DEFAULT_SECURITY_POLICY;

  it('accepts 8+ characters from 3 of 4 classes', () => {
    expect(passwordProblems('Bcdefgh1', policy)).toEqual([]);
    expect(passwordProblems('abcdef1!', policy)).toEqual([]);
  });

  it('names each problem', () => {
    expect(passwordProblems('Ab1', policy).map((p) => p.en)).toEqual(['at least 8 characters']);
    expect(passwordProblems('abcdefgh1', policy)[0]!.en).toMatch(/at least 3 of/);
    expect(passwordProblems('Zhang.san1', policy, 'zhang.san')[0]!.en).toBe('must not contain the user name');
  });

  it('#10.15 refuses common passwords whatever their case', () => {
    for (const password of ['Passw0rd', 'P@ssw0rd', 'Qwerty123', 'qWERTY123', 'Abcdefg1']) {
      expect(passwordProblems(password, policy).map((p) => p.en), password).toEqual(['is a commonly used password, easily guessed']);
    }
    expect(passwordProblems('Yunwei#Ops2024', policy)).toEqual([]);
  });

  it('expires after the maximum age, never when it is 0', () => {
    const day = 86_400_000;
    expect(passwordExpired(0, policy, 91 * day)).toBe(true);
    expect(passwordExpired(0, policy, 89 * day)).toBe(false);
    expect(passwordExpired(0, { ...policy, passwordMaxAgeDays: 0 }, 9999 * day)).toBe(false);
  });
});
