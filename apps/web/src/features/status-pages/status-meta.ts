import type { DayState, NoticeSeverity, PublicState } from '@yunwei/contracts/status-pages';

/** One colour per state, on the banner, the component tags and the day bars. */
export const STATE_COLORS: Record<PublicState, string> = {
  operational: '#2f9e44',
  degraded: '#f08c00',
  outage: '#e03131',
  maintenance: '#1c7ed6',
  unknown: '#adb5bd',
};

export const DAY_COLORS: Record<DayState, string> = {
  operational: STATE_COLORS.operational,
  degraded: STATE_COLORS.degraded,
  outage: STATE_COLORS.outage,
  nodata: '#dee2e6',
};

export const SEVERITY_COLORS: Record<NoticeSeverity, string> = {
  info: '#1c7ed6',
  minor: '#f08c00',
  major: '#e8590c',
  critical: '#e03131',
};

/** A slug from what an administrator typed as the title's English (or anything): lower-case, digits, hyphens. */
export function suggestSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}
