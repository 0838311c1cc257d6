import { describe, expect, it } from 'vitest';
import { ciMatcherOf, idsNamedBy, splitCiMatchers } from './silence-cis';

const A = '01a249af-0000-7000-8000-00000000000a';
const B = '01a249af-0000-7000-8000-00000000000b';

describe('the silence form’s CI picker and matchers', () => {
  it('sends one picked CI as ci="<id>" and several as ci=~"<id>|<id>" (what a unit-limited user must send)', () => {
    expect(ciMatcherOf([])).toBeNull();
    expect(ciMatcherOf([A])).toEqual({ name: 'ci', op: '=', value: A });
    expect(ciMatcherOf([A, B])).toEqual({ name: 'ci', op: '=~', value: `${A}|${B}` });
  });

  it('moves an alert’s ci matcher into the picker and keeps the others for the editor', () => {
    const fromAlert = [
      { name: 'alertname', op: '=' as const, value: 'DiskFull' },
      { name: 'ci', op: '=' as const, value: A },
      { name: 'mountpoint', op: '=' as const, value: '/data' },
    ];
    expect(splitCiMatchers(fromAlert)).toEqual({ ciIds: [A], rest: [fromAlert[0], fromAlert[2]] });
    // A real regex or a negation stays a matcher.
    const other = [{ name: 'ci', op: '=~' as const, value: 'web-.*' }, { name: 'ci', op: '!=' as const, value: B }];
    expect(splitCiMatchers(other)).toEqual({ ciIds: [], rest: other });
  });

  it('reads the CI ids a matcher names, for showing their names', () => {
    expect(idsNamedBy({ name: 'ci', op: '!=', value: B })).toEqual([B]);
    expect(idsNamedBy({ name: 'ci', op: '=~', value: `${A}|${B}` })).toEqual([A, B]);
    expect(idsNamedBy({ name: 'ci', op: '=~', value: 'web-.*' })).toBeNull();
    expect(idsNamedBy({ name: 'instance', op: '=', value: A })).toBeNull();
  });
});
