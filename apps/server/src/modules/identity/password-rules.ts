import { readFileSync } from 'node:fs';
import type { SecurityPolicy } from '@yunwei/contracts/identity';

let common: ReadonlySet<string> | undefined;

/**
 * The 10,000 most common passwords of 6+ characters, lower-cased (see common-passwords.NOTICE.md for
 * the source and licence). Read once, next to this file: the server runs from its sources.
 */
function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8').split('\n').filter(Boolean));
  return common;
}

/** True for a password on the common-passwords list, whatever its case. */
export function isCommonPassword(password: string): boolean {
  return commonPasswords().has(password.toLowerCase());
}

const CLASSES: { test: RegExp; zh: string; en: string }[] = [
  { test: /[a-z]/, zh: '小写字母', en: 'lower-case letters' },
  { test: /[A-Z]/, zh: '大写字母', en: 'upper-case letters' },
  { test: /[0-9]/, zh: '数字', en: 'digits' },
  { test: /[^A-Za-z0-9]/, zh: '特殊字符', en: 'symbols' },
];

/** What is wrong with a password under the policy; empty when it is acceptable. */
export function passwordProblems(password: string, policy: SecurityPolicy, username?: string): { zh: string; en: string }[] {
  const problems: { zh: string; en: string }[] = [];
  if ([...password].length < policy.passwordMinLength) {
    problems.push({ zh: `至少 ${policy.passwordMinLength} 个字符`, en: `at least ${policy.passwordMinLength} characters` });
  }
  const classes = CLASSES.filter((c) => c.test.test(password)).length;
  if (classes < policy.passwordMinClasses) {
    problems.push({
      zh: `需包含${CLASSES.map((c) => c.zh).join('、')}中的至少 ${policy.passwordMinClasses} 类`,
      en: `use at least ${policy.passwordMinClasses} of: ${CLASSES.map((c) => c.en).join(', ')}`,
    });
  }
  if (username && password.toLowerCase().includes(username.toLowerCase())) {
    problems.push({ zh: '不能包含用户名', en: 'must not contain the user name' });
  }
  if (isCommonPassword(password)) {
    problems.push({ zh: '是常见密码，极易被猜中', en: 'is a commonly used password, easily guessed' });
  }
  return problems;
}

export function passwordExpired(changedAt: number | null, policy: SecurityPolicy, now = Date.now()): boolean {
  return policy.passwordMaxAgeDays > 0 && changedAt !== null && now - changedAt > policy.passwordMaxAgeDays * 86_400_000;
}
