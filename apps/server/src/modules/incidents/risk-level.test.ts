import { describe, expect, it } from 'vitest';
import { matchKnownError } from './known-errors.js';
import { endOfSupportFindings, riskLevel } from './risk-level.js';

const NOW = Date.parse('2026-12-07T00:00:00Z');
const inv = (distro: string, release: string, packages: { name: string; version: string }[] = []) => ({
  os: { platform: 'linux', distro, release, codename: '', kernel: '', arch: 'x64', hostname: 'h' },
  packages: packages.map((p) => ({ ...p, arch: 'x86_64' })),
});

describe('隐患 rating and end-of-support', () => {
  it('rates likelihood × impact by the fixed table', () => {
    expect(riskLevel(1, 4)).toEqual({ score: 4, level: 'low' });
    expect(riskLevel(1, 5)).toEqual({ score: 5, level: 'medium' });
    expect(riskLevel(3, 3)).toEqual({ score: 9, level: 'medium' });
    expect(riskLevel(2, 5)).toEqual({ score: 10, level: 'high' });
    expect(riskLevel(4, 4)).toEqual({ score: 16, level: 'high' });
    expect(riskLevel(4, 5)).toEqual({ score: 20, level: 'critical' });
    expect(riskLevel(5, 5)).toEqual({ score: 25, level: 'critical' });
  });

  it('finds end-of-support operating systems and packages in an inventory', () => {
    expect(endOfSupportFindings(inv('CentOS Linux', '7.9.2009'), NOW)).toEqual([{ product: 'CentOS 7', endOfSupport: '2024-06-30', installed: 'CentOS Linux 7.9.2009', past: true }]);
    expect(endOfSupportFindings(inv('Ubuntu', '18.04.6 LTS'), NOW).map((f) => f.product)).toEqual(['Ubuntu 18.04']);
    expect(endOfSupportFindings(inv('Ubuntu', '24.04 LTS', [{ name: 'mysql-community-server', version: '5.7.44' }, { name: 'postgresql-server', version: '16.2' }]), NOW).map((f) => f.product)).toEqual(['MySQL 5.7']);
    expect(endOfSupportFindings(inv('Microsoft Windows Server 2012 R2 Standard', '6.3.9600'), NOW).map((f) => f.product)).toEqual(['Windows Server 2012 R2']);
    expect(endOfSupportFindings(inv('Rocky Linux', '9.3'), NOW)).toEqual([]);
  });
});

describe('known-error matching', () => {
  const facts = { title: '库存数据库表空间使用率 98%', typeLineage: ['db-type', 'software'], ciIds: ['ci-2'], ciClasses: ['database'] };
  it('needs every criterion given, CIs or classes counting as one', () => {
    expect(matchKnownError({}, facts)).toBeNull();
    expect(matchKnownError({ ciClasses: ['database'], keywords: ['表空间'] }, facts)).toMatchObject({ score: 3, keywords: ['表空间'] });
    expect(matchKnownError({ ciClasses: ['server'], keywords: ['表空间'] }, facts)).toBeNull();
    expect(matchKnownError({ ciClasses: ['database'], keywords: ['磁盘'] }, facts)).toBeNull();
  });
  it('scores the exact type over an ancestor, the same CI over its class', () => {
    expect(matchKnownError({ typeId: 'db-type' }, facts)!.score).toBe(4);
    expect(matchKnownError({ typeId: 'software' }, facts)!.score).toBe(3);
    expect(matchKnownError({ typeId: 'network' }, facts)).toBeNull();
    expect(matchKnownError({ ciIds: ['ci-2'] }, facts)!.score).toBe(3);
    expect(matchKnownError({ ciIds: ['ci-9'], ciClasses: ['database'] }, facts)!.score).toBe(2);
  });
});
