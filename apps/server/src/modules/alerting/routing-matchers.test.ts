import { describe, expect, it } from 'vitest';
import { compileMatchers, describeMatchers, matchesAll } from './routing-matchers.js';

describe('label matchers', () => {
  const labels = { alertname: 'DiskFull', instance: 'db-01', env: 'prod' };

  it('= != =~ !~ with anchored regexes; a missing label is the empty string', () => {
    const m = (name: string, op: '=' | '!=' | '=~' | '!~', value: string) => matchesAll(compileMatchers([{ name, op, value }]), labels);
    expect(m('alertname', '=', 'DiskFull')).toBe(true);
    expect(m('alertname', '!=', 'DiskFull')).toBe(false);
    expect(m('instance', '=~', 'db-.*')).toBe(true);
    expect(m('instance', '=~', 'db')).toBe(false); // anchored: not a substring match
    expect(m('instance', '!~', 'web.*')).toBe(true);
    expect(m('team', '=', '')).toBe(true);
    expect(m('team', '!=', '')).toBe(false);
    expect(matchesAll(compileMatchers([]), labels)).toBe(true);
    expect(describeMatchers([{ name: 'env', op: '=~', value: 'prod|uat' }])).toBe('env=~"prod|uat"');
  });

  it('refuses a regex that does not compile, naming the matcher', () => {
    expect(() => compileMatchers([{ name: 'a', op: '=', value: 'x' }, { name: 'b', op: '=~', value: '(' }])).toThrow(expect.objectContaining({ details: expect.objectContaining({ field: 'body.matchers.1.value' }) }));
  });
});
