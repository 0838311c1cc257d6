import { describe, expect, it } from 'vitest';
import { SEED_TYPES } from './incident-seeds.js';
import { type ClassifiableType, globMatches, suggestType } from './incident-classify.js';

/** The seeded tree as the suggestion reads it (ids are the codes). */
const seeded: ClassifiableType[] = SEED_TYPES.map((t, i) => ({ id: t.code, depth: t.parent ? 1 : 0, sort: i * 10, rules: t.rules ?? [] }));

describe('fault-type suggestion (pure)', () => {
  it('[L3-2.3.1] suggests 应用系统 for an HTTP check and 网络 for a ping check, by their check-type rules', () => {
    expect(suggestType(seeded, { checkType: 'http' })).toMatchObject({ typeId: 'software.application', rule: { kind: 'checkType', pattern: 'http' }, value: 'http' });
    expect(suggestType(seeded, { checkType: 'ping' })?.typeId).toBe('network');
    expect(suggestType(seeded, { checkType: 'nothing-known' })).toBeNull();
  });

  it('[L3-2.3.1] the deepest matching type wins; at equal depth the alert\'s own signal beats the CI class', () => {
    // node_disk_* is a rule of 硬件 / 存储设备 (depth 1); node_hwmon_* only of 硬件 (depth 0).
    expect(suggestType(seeded, { metric: 'node_disk_read_bytes_total' })?.typeId).toBe('hardware.storage');
    expect(suggestType(seeded, { metric: 'node_hwmon_temp_celsius' })?.typeId).toBe('hardware');
    // An HTTP check on a server: both 应用系统 (checkType http) and 服务器 (ciClass server) are depth 1.
    expect(suggestType(seeded, { checkType: 'http', ciClass: 'server' })?.typeId).toBe('software.application');
    expect(suggestType(seeded, { ciClass: 'server' })?.typeId).toBe('hardware.server');
    // A deeper administrator's type beats a first-level one even on a weaker kind of rule.
    const custom: ClassifiableType[] = [...seeded, { id: 'network.core', depth: 2, rules: [{ kind: 'ciClass', pattern: 'core_*' }] }];
    expect(suggestType(custom, { checkType: 'ping', ciClass: 'core_switch' })?.typeId).toBe('network.core');
  });

  it('matches globs with * anywhere, case-insensitively, and everything else literally', () => {
    expect(globMatches('node_*', 'node_load1')).toBe(true);
    expect(globMatches('*_bytes_*', 'node_disk_read_bytes_total')).toBe(true);
    expect(globMatches('node.cpu', 'nodeXcpu')).toBe(false);
    expect(globMatches('HTTP', 'http')).toBe(true);
    expect(globMatches('http', 'https')).toBe(false);
    // The more literal pattern wins among rules of one type depth and kind.
    const two: ClassifiableType[] = [
      { id: 'a', depth: 1, rules: [{ kind: 'metric', pattern: 'node_*' }] },
      { id: 'b', depth: 1, rules: [{ kind: 'metric', pattern: 'node_disk_*' }] },
    ];
    expect(suggestType(two, { metric: 'node_disk_io' })?.typeId).toBe('b');
  });
});
