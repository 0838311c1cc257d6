import { describe, expect, it } from 'vitest';
import type { Matcher } from '@yunwei/contracts/alert-routing';
import { pinnedCis } from './silence-scope.js';

const m = (name: string, op: Matcher['op'], value: string): Matcher => ({ name, op, value });

describe('pinnedCis', () => {
  it('#10.5 names CIs only by ci="<id>" or an alternation of plain ids, intersecting several', () => {
    expect(pinnedCis([m('ci', '=', 'a-1')])).toEqual(['a-1']);
    expect(pinnedCis([m('alertname', '=', 'X'), m('ci', '=~', 'a-1|b_2')])).toEqual(['a-1', 'b_2']);
    expect(pinnedCis([m('ci', '=~', 'a|b'), m('ci', '=', 'b')])).toEqual(['b']);
    // A pattern, a negation or another label names nothing: the silence is not confined to named CIs.
    for (const matchers of [[m('ci', '=~', '.*')], [m('ci', '=~', 'a-1|zz.*')], [m('ci', '!=', 'a')], [m('ci', '!~', 'a')], [m('alertname', '=', 'X')], []]) {
      expect(pinnedCis(matchers)).toBeNull();
    }
  });
});
