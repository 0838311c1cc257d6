import { describe, expect, it } from 'vitest';
import type { AttributeDefinition } from '@yunwei/contracts/cmdb';
import { attributeFromCell, checkAttributes, checkCiFields, checkClassDefinition, dateFromCell, statusFromCell, subtypeFromCell } from './attributes.js';

const def = (key: string, type: AttributeDefinition['type'], extra: Partial<AttributeDefinition> = {}): AttributeDefinition => ({ key, label: { zh: key, en: key }, type, options: [], required: false, ...extra });
const defs = [def('cores', 'number', { required: true }), def('vendor', 'enum', { options: ['华为', 'H3C'] }), def('hot', 'boolean'), def('since', 'date'), def('note', 'string')];
const fields = (problems: { field: string }[]) => problems.map((p) => p.field);

describe('CI attribute rules', () => {
  it('checks values against the definitions: unknown keys, types, options, dates, required', () => {
    expect(checkAttributes(defs, { cores: 8, vendor: 'H3C', hot: false, since: '2024-02-29', note: ' x ' })).toEqual({ values: { cores: 8, vendor: 'H3C', hot: false, since: '2024-02-29', note: 'x' }, problems: [] });
    expect(fields(checkAttributes(defs, {}).problems)).toEqual(['attributes.cores']);
    expect(fields(checkAttributes(defs, { cores: '8', vendor: 'Cisco', hot: 'yes', since: '2023-02-29', other: 1 }).problems)).toEqual([
      'attributes.cores',
      'attributes.vendor',
      'attributes.hot',
      'attributes.since',
      'attributes.other',
    ]);
    // Blank and null mean "no value".
    expect(checkAttributes(defs, { cores: 1, note: '  ', vendor: null }).values).toEqual({ cores: 1 });
    expect(fields(checkAttributes(defs, { cores: Number.NaN }).problems)).toEqual(['attributes.cores']);
  });

  it('checks class definitions: duplicate and reserved keys, enum options', () => {
    const r = checkClassDefinition({
      subtypes: [{ key: 'a' }, { key: 'a' }],
      attributes: [
        { key: 'x', label: { zh: 'x', en: 'x' }, type: 'enum', options: [] },
        { key: 'x', label: { zh: 'x', en: 'x' }, type: 'string' },
        { key: 'ip', label: { zh: 'ip', en: 'ip' }, type: 'string' },
        { key: 'y', label: { zh: 'y', en: 'y' }, type: 'number', options: ['1'] },
        { key: 'z', label: { zh: 'z', en: 'z' }, type: 'enum', options: ['a', 'a'] },
      ],
    });
    expect(fields(r.problems)).toEqual(['subtypes.1.key', 'attributes.0.options', 'attributes.1.key', 'attributes.2.key', 'attributes.3.options', 'attributes.4.options']);
    expect(checkClassDefinition({ attributes: [{ key: 'k', label: { zh: ' 容量 ', en: 'Cap' }, type: 'enum', options: [' a ', 'b'] }] }).attributes).toEqual([
      { key: 'k', label: { zh: '容量', en: 'Cap' }, type: 'enum', options: ['a', 'b'], required: false },
    ]);
  });

  it('checks the fixed fields', () => {
    const ok = { name: 'srv', subtype: null, status: 'active', ip: '', hostname: '', description: '' };
    expect(checkCiFields({ subtypes: [] }, ok)).toEqual([]);
    expect(checkCiFields({ subtypes: [] }, { ...ok, ip: '2001:db8::1', hostname: 'db-01.prod.local' })).toEqual([]);
    expect(fields(checkCiFields({ subtypes: [] }, { name: '', subtype: 'x', status: 'up', ip: '1.2.3', hostname: '-bad host', description: 'd'.repeat(2001) }))).toEqual([
      'name',
      'subtype',
      'status',
      'ip',
      'hostname',
      'description',
    ]);
    expect(fields(checkCiFields({ subtypes: [{ key: 'switch', name: { zh: '交换机', en: 'Switch' } }] }, { ...ok, subtype: 'switch' }))).toEqual([]);
  });

  it('reads spreadsheet cells into typed values', () => {
    expect(attributeFromCell(defs[0]!, '1,024')).toEqual({ value: 1024 });
    expect(attributeFromCell(defs[0]!, 16)).toEqual({ value: 16 });
    expect(attributeFromCell(defs[0]!, 'many')).toHaveProperty('problem');
    expect(attributeFromCell(defs[1]!, 'h3c')).toEqual({ value: 'H3C' });
    expect(attributeFromCell(defs[2]!, '是')).toEqual({ value: true });
    expect(attributeFromCell(defs[2]!, 'FALSE')).toEqual({ value: false });
    expect(attributeFromCell(defs[2]!, 'maybe')).toHaveProperty('problem');
    expect(attributeFromCell(defs[3]!, new Date(Date.UTC(2025, 0, 9)))).toEqual({ value: '2025-01-09' });
    expect(attributeFromCell(defs[3]!, '2025/1/9')).toEqual({ value: '2025-01-09' });
    expect(attributeFromCell(defs[4]!, 42)).toEqual({ value: '42' });
    expect(attributeFromCell(defs[4]!, '')).toEqual({ value: undefined });
    expect(dateFromCell('2025-13-01')).toBeNull();
    expect(statusFromCell('维护中')).toBe('maintenance');
    expect(statusFromCell('Retired')).toBe('retired');
    expect(statusFromCell('')).toBe('active');
    expect(statusFromCell('坏了')).toBeNull();
    const subtypes = [{ key: 'firewall', name: { zh: '防火墙', en: 'Firewall' } }];
    expect(subtypeFromCell(subtypes, '防火墙')).toBe('firewall');
    expect(subtypeFromCell(subtypes, 'FIREWALL')).toBe('firewall');
    expect(subtypeFromCell(subtypes, '')).toBeNull();
    expect(subtypeFromCell(subtypes, 'router')).toBeUndefined();
  });
});
