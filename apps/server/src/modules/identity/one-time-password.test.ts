import { describe, expect, it } from 'vitest';
import { DEFAULT_SECURITY_POLICY } from '@yunwei/contracts/security-defaults';
import { oneTimePassword } from './one-time-password.js';
import { passwordProblems } from './password-rules.js';

describe('one-time passwords of new administrator accounts', () => {
  it('pass the default policy and the strictest one, and are never repeated', () => {
    const strict = { ...DEFAULT_SECURITY_POLICY, passwordMinLength: 40, passwordMinClasses: 4 };
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      for (const policy of [DEFAULT_SECURITY_POLICY, strict]) {
        const password = oneTimePassword(policy, 'abc');
        expect(passwordProblems(password, policy, 'abc')).toEqual([]);
        expect(password.length).toBe(Math.max(16, policy.passwordMinLength));
        expect(password).not.toMatch(/[0O1lI]/);
        seen.add(password);
      }
    }
    expect(seen.size).toBe(400);
  });
});
