import type { Kysely } from 'kysely';
import type { Locale } from '@yunwei/contracts/i18n';
import type { Database } from '../../db/schema.js';
import type { ProviderScope } from '../../platform/documents/providers.js';

/*
 * Shared by the report providers of every module: numbers as the reports print them (the JSON carries
 * the same rounded figures, so what the API says is what the document says) and CI lookups.
 */

/** One decimal, as a number (the API's figure) — printed with `fixed1`. */
export const round1 = (v: number): number => Math.round(v * 10) / 10;
/** Two decimals (availability percentages such as 99.95). */
export const round2 = (v: number): number => Math.round(v * 100) / 100;
export const fixed1 = (v: number | null): string => (v === null ? '—' : v.toFixed(1));
export const fixed2 = (v: number | null): string => (v === null ? '—' : v.toFixed(2));
export const percent1 = (v: number | null): string => (v === null ? '—' : `${v.toFixed(1)}%`);
export const percent2 = (v: number | null): string => (v === null ? '—' : `${v.toFixed(2)}%`);

export const mean = (values: readonly number[]): number | null => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);

/** True when the CI belongs to the report's scope (a scope of `all` takes every CI). */
export function inReportScope(scope: ProviderScope, ciId: string | null): boolean {
  return scope.ciIds === null || (ciId !== null && scope.ciIds.has(ciId));
}

/** CI id → { name, unit, class code }, read in chunks. */
export async function ciFacts(db: Kysely<Database>, ids: Iterable<string>): Promise<Map<string, { name: string; unit: string | null; classCode: string }>> {
  const unique = [...new Set(ids)];
  const out = new Map<string, { name: string; unit: string | null; classCode: string }>();
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db
      .selectFrom('cmdb_ci as c')
      .innerJoin('cmdb_class as k', 'k.id', 'c.class_id')
      .select(['c.id', 'c.name', 'c.org_unit_id', 'k.code'])
      .where('c.id', 'in', unique.slice(i, i + 500))
      .execute();
    rows.forEach((r) => out.set(r.id, { name: r.name, unit: r.org_unit_id, classCode: r.code }));
  }
  return out;
}

/** "x 分钟" / "x min". */
export function minutesText(v: number | null, locale: Locale): string {
  return v === null ? '—' : locale === 'en' ? `${v.toFixed(1)} min` : `${v.toFixed(1)} 分钟`;
}
