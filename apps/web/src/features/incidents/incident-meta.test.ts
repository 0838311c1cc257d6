import { describe, expect, it } from 'vitest';
import type { IncidentType, PriorityMatrix } from '@yunwei/contracts/incidents';
import { badWindow, incidentListPath, minutesParts, priorityOf, slaCountdown, slaTone, typeTree } from './incident-meta';

const MATRIX: PriorityMatrix = [
  ['P1', 'P2', 'P3'],
  ['P2', 'P3', 'P4'],
  ['P3', 'P4', 'P4'],
];

const type = (id: string, parentId: string | null, name: string, sort = 0, enabled = true): IncidentType => ({
  id,
  parentId,
  code: id,
  nameZh: name,
  nameEn: name,
  name,
  path: name,
  description: '',
  rules: [],
  sort,
  enabled,
  builtin: false,
  inUse: 0,
});

describe('incident helpers', () => {
  it('priority is read from the matrix by impact (row) and urgency (column)', () => {
    expect(priorityOf(MATRIX, 1, 1)).toBe('P1');
    expect(priorityOf(MATRIX, 1, 3)).toBe('P3');
    expect(priorityOf(MATRIX, 3, 1)).toBe('P3');
    expect(priorityOf(MATRIX, 2, 3)).toBe('P4');
    expect(priorityOf(undefined, 1, 1)).toBeNull();
    expect(priorityOf(MATRIX, undefined, 1)).toBeNull();
  });

  it('the SLA countdown rounds up to whole minutes and says breached once due', () => {
    const now = 1_000_000_000_000;
    expect(slaCountdown(now + 80 * 60_000, false, now)).toEqual({ kind: 'left', days: 0, hours: 1, minutes: 20 });
    expect(slaCountdown(now + 30_000, false, now)).toEqual({ kind: 'left', days: 0, hours: 0, minutes: 1 });
    expect(slaCountdown(now + (26 * 60 + 5) * 60_000, false, now)).toEqual({ kind: 'left', days: 1, hours: 2, minutes: 5 });
    expect(slaCountdown(now - 1, false, now)).toEqual({ kind: 'breached' });
    expect(slaCountdown(now + 60_000, true, now)).toEqual({ kind: 'breached' });
    expect(slaCountdown(null, false, now)).toEqual({ kind: 'none' });
  });

  it('the SLA bar turns orange from 80 % and red once breached', () => {
    expect(slaTone(50, false, false)).toBe('normal');
    expect(slaTone(80, false, false)).toBe('warning');
    expect(slaTone(60, false, true)).toBe('warning');
    expect(slaTone(100, false, false)).toBe('breached');
    expect(slaTone(10, true, false)).toBe('breached');
  });

  it('durations read as days, hours and minutes', () => {
    expect(minutesParts(1505)).toEqual({ days: 1, hours: 1, minutes: 5 });
    expect(minutesParts(-3)).toEqual({ days: 0, hours: 0, minutes: 0 });
  });

  it('fault types become a tree in sort order, disabled ones left out unless kept', () => {
    const types = [type('power', 'env', '电力', 2), type('env', null, '环境', 1), type('cool', 'env', '制冷', 1), type('net', null, '网络', 0), type('old', 'env', '旧', 3, false)];
    const tree = typeTree(types);
    expect(tree.map((n) => n.value)).toEqual(['net', 'env']);
    expect(tree[1]?.children.map((n) => n.value)).toEqual(['cool', 'power']);
    expect(typeTree(types, { keep: 'old' })[1]?.children.map((n) => n.value)).toEqual(['cool', 'power', 'old']);
  });

  it('working-hour windows must be in order and must not overlap', () => {
    expect(badWindow([{ start: '09:00', end: '12:00' }, { start: '13:30', end: '18:00' }])).toBeNull();
    expect(badWindow([{ start: '09:00', end: '12:00' }, { start: '11:00', end: '18:00' }])).toBe(1);
    expect(badWindow([{ start: '12:00', end: '09:00' }])).toBe(0);
  });

  it('list filters go to the server as repeated parameters', () => {
    expect(incidentListPath({ status: ['new', 'on_hold'], open: true, q: 'db', offset: 0, limit: 20 })).toBe('/api/incidents?status=new&status=on_hold&open=true&q=db&offset=0&limit=20');
    expect(incidentListPath({})).toBe('/api/incidents');
  });
});
