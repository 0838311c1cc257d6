import type { RiskLevel } from '@yunwei/contracts/incident-problems';
import type { HostInventoryData } from '@yunwei/contracts/agents';

const DAY_MS = 86_400_000;

/**
 * The fixed rating table of the 隐患 register: score = likelihood (1–5) × impact (1–5).
 *
 * | score  | level         | rectify within |
 * |--------|---------------|----------------|
 * | 1–4    | 低 low        | 90 days        |
 * | 5–9    | 中 medium     | 30 days        |
 * | 10–16  | 高 high       | 14 days        |
 * | 20–25  | 极高 critical | 7 days         |
 *
 * (Scores 17–19 cannot occur: no product of two ratings 1–5 falls there.)
 */
export function riskLevel(likelihood: number, impact: number): { score: number; level: RiskLevel } {
  const score = likelihood * impact;
  const level: RiskLevel = score >= 17 ? 'critical' : score >= 10 ? 'high' : score >= 5 ? 'medium' : 'low';
  return { score, level };
}

export const LEVEL_DUE_DAYS: Record<RiskLevel, number> = { critical: 7, high: 14, medium: 30, low: 90 };
export const LEVEL_RANK: Record<RiskLevel, number> = { critical: 4, high: 3, medium: 2, low: 1 };

/** The default due date of a collected risk: now + the level's rectification period. */
export function defaultDue(level: RiskLevel, now: number): number {
  return now + LEVEL_DUE_DAYS[level] * DAY_MS;
}

/**
 * End-of-support dates (vendors' published end of standard / maintenance support), matched against the agent
 * inventory: the OS by distro + release, packages by name + version prefix.
 */
export interface EndOfSupport {
  product: string;
  /** Lower-case pattern on the OS distro (`centos`) or a package name (`postgresql-server`). */
  kind: 'os' | 'package';
  name: RegExp;
  /** The release / version prefix (`7`, `18.04`, `11.`). */
  version: RegExp;
  endOfSupport: string;
}

export const END_OF_SUPPORT: readonly EndOfSupport[] = [
  { product: 'CentOS 7', kind: 'os', name: /centos/i, version: /^7(\.|$)/, endOfSupport: '2024-06-30' },
  { product: 'CentOS 8', kind: 'os', name: /centos/i, version: /^8(\.|$)/, endOfSupport: '2021-12-31' },
  { product: 'Red Hat Enterprise Linux 7', kind: 'os', name: /red ?hat/i, version: /^7(\.|$)/, endOfSupport: '2024-06-30' },
  { product: 'Ubuntu 16.04', kind: 'os', name: /ubuntu/i, version: /^16\.04/, endOfSupport: '2021-04-30' },
  { product: 'Ubuntu 18.04', kind: 'os', name: /ubuntu/i, version: /^18\.04/, endOfSupport: '2023-05-31' },
  { product: 'Ubuntu 20.04', kind: 'os', name: /ubuntu/i, version: /^20\.04/, endOfSupport: '2025-05-31' },
  { product: 'Debian 9', kind: 'os', name: /debian/i, version: /^9(\.|$)/, endOfSupport: '2022-06-30' },
  { product: 'Debian 10', kind: 'os', name: /debian/i, version: /^10(\.|$)/, endOfSupport: '2024-06-30' },
  { product: 'Windows Server 2008 R2', kind: 'os', name: /windows server 2008/i, version: /.*/, endOfSupport: '2020-01-14' },
  { product: 'Windows Server 2012 R2', kind: 'os', name: /windows server 2012/i, version: /.*/, endOfSupport: '2023-10-10' },
  { product: 'PostgreSQL 11', kind: 'package', name: /^postgresql(11)?(-server)?$/i, version: /^11\./, endOfSupport: '2023-11-09' },
  { product: 'PostgreSQL 12', kind: 'package', name: /^postgresql(12)?(-server)?$/i, version: /^12\./, endOfSupport: '2024-11-14' },
  { product: 'MySQL 5.7', kind: 'package', name: /^mysql(-community)?-server$/i, version: /^5\.7/, endOfSupport: '2023-10-31' },
  { product: 'Python 2.7', kind: 'package', name: /^python2?(\.7)?$/i, version: /^2\.7/, endOfSupport: '2020-01-01' },
  { product: 'OpenSSL 1.1.1', kind: 'package', name: /^(openssl|libssl1\.1)$/i, version: /^1\.1\.1/, endOfSupport: '2023-09-11' },
];

/** What in one host's inventory is past (or within `warnDays` of) its end of support. */
export function endOfSupportFindings(inv: Pick<HostInventoryData, 'os' | 'packages'>, now: number, warnDays = 180): { product: string; endOfSupport: string; installed: string; past: boolean }[] {
  const out: { product: string; endOfSupport: string; installed: string; past: boolean }[] = [];
  for (const e of END_OF_SUPPORT) {
    const eos = Date.parse(`${e.endOfSupport}T00:00:00Z`);
    if (eos - now > warnDays * DAY_MS) {
      continue;
    }
    if (e.kind === 'os') {
      const distro = `${inv.os.distro} ${inv.os.platform}`;
      if (e.name.test(distro) && e.version.test(inv.os.release.trim())) {
        out.push({ product: e.product, endOfSupport: e.endOfSupport, installed: `${inv.os.distro} ${inv.os.release}`.trim(), past: eos <= now });
      }
    } else {
      const pkg = inv.packages.find((p) => e.name.test(p.name) && e.version.test(p.version));
      if (pkg) {
        out.push({ product: e.product, endOfSupport: e.endOfSupport, installed: `${pkg.name} ${pkg.version}`, past: eos <= now });
      }
    }
  }
  return out;
}
