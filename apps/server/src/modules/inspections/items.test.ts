import { describe, expect, it } from 'vitest';
import type { InspectionItem } from '@yunwei/contracts/inspections';
import { checkItems, compare, limitText, metricVerdict, reduce, worstValue } from './items.js';
import { cronOf, nextRun } from './schedule.service.js';

describe('inspection items', () => {
  it('compares, reduces and picks the value that decides the verdict', () => {
    expect(compare(90, '<=', 90)).toBe(true);
    expect(compare(90, '<', 90)).toBe(false);
    expect(compare(1, '==', 1)).toBe(true);
    expect(reduce([3, 1, 2], 'last')).toBe(2);
    expect(reduce([3, 1, 2], 'avg')).toBe(2);
    expect(reduce([], 'max')).toBeNull();
    expect(worstValue([40, 70, 50], '<=', 85)).toBe(70);
    expect(worstValue([1, 0, 1], '==', 1)).toBe(0);
    expect(worstValue([7200, 4000], '>=', 3600)).toBe(4000);
    expect(metricVerdict([], '<=', 1)).toEqual({ verdict: 'no_data', value: null });
    expect(metricVerdict([1, 0], '==', 1)).toEqual({ verdict: 'abnormal', value: 0 });
  });

  it('writes limits as people read them', () => {
    expect(limitText({ key: 'a', name: 'A', kind: 'metric', selector: 'x', operator: '<=', limit: 90, unit: '%' })).toBe('<= 90 %');
    expect(limitText({ key: 'a', name: 'A', kind: 'fresh', selector: 'x', maxAgeSeconds: 120 })).toBe('<= 120 s');
  });

  it('names the field of an invalid item', () => {
    const at = (items: InspectionItem[]) => {
      try {
        checkItems(items);
        return null;
      } catch (error) {
        return (error as { details: { field: string } }).details.field;
      }
    };
    const ok: InspectionItem = { key: 'a', name: 'A', kind: 'metric', selector: 'host_load1', operator: '<', limit: 4 };
    expect(at([ok])).toBeNull();
    expect(at([ok, ok])).toBe('body.items.1.key');
    expect(at([{ ...ok, selector: 'sum(x)' }])).toBe('body.items.0.selector');
    expect(at([{ ...ok, limit: Number.NaN }])).toBe('body.items.0.limit');
    expect(at([{ key: 'm', name: 'M', kind: 'manual' }])).toBeNull();
  });

  it('translates daily and weekly schedules into cron and finds the next run', () => {
    expect(cronOf({ kind: 'daily', time: '07:30' })).toBe('30 7 * * *');
    expect(cronOf({ kind: 'weekly', time: '18:05', weekday: 5 })).toBe('5 18 * * 5');
    expect(() => cronOf({ kind: 'cron', cron: '61 * * * *' })).toThrow();
    const from = new Date(2026, 0, 1, 8, 0).getTime();
    expect(nextRun('30 7 * * *', from)).toBe(new Date(2026, 0, 2, 7, 30).getTime());
  });
});
