import type { LocalizedText } from '@yunwei/contracts/i18n';
import type { IncidentLevel, IncidentListQuery, IncidentPriority, IncidentStatus, IncidentType, PriorityMatrix } from '@yunwei/contracts/incidents';

/** P1 red … P4 blue: the tag colours of the list and the detail page. */
export const PRIORITY_COLORS: Record<IncidentPriority, string> = { P1: 'red', P2: 'orange', P3: 'gold', P4: 'blue' };

export const STATUS_COLORS: Record<IncidentStatus, string> = {
  new: 'blue',
  in_progress: 'processing',
  on_hold: 'warning',
  resolved: 'success',
  closed: 'default',
  cancelled: 'default',
};

/** The text in the reader's language. */
export function localized(text: LocalizedText, language: string): string {
  return language.startsWith('en') ? text.en : text.zh;
}

/** What the matrix gives for impact × urgency (1 高 … 3 低); the server computes the same. */
export function priorityOf(matrix: PriorityMatrix | undefined, impact: IncidentLevel | undefined, urgency: IncidentLevel | undefined): IncidentPriority | null {
  if (!matrix || !impact || !urgency) {
    return null;
  }
  return matrix[impact - 1]?.[urgency - 1] ?? null;
}

/** What is left to an SLA's due time, or how far past it: a countdown people read, in whole minutes. */
export type SlaCountdown = { kind: 'none' } | { kind: 'breached' } | { kind: 'left'; days: number; hours: number; minutes: number };

export function slaCountdown(dueAt: number | null, breached: boolean, now: number): SlaCountdown {
  if (breached) {
    return { kind: 'breached' };
  }
  if (dueAt === null) {
    return { kind: 'none' };
  }
  const ms = dueAt - now;
  if (ms <= 0) {
    return { kind: 'breached' };
  }
  // Round up: 30 seconds left still reads "1 分", never "0 分".
  const total = Math.ceil(ms / 60_000);
  return { kind: 'left', days: Math.floor(total / 1440), hours: Math.floor((total % 1440) / 60), minutes: total % 60 };
}

/** The Progress bar's colour: orange from 80 % of the target (or the server's warning), red once breached. */
export function slaTone(percent: number, breached: boolean, warning: boolean): 'normal' | 'warning' | 'breached' {
  if (breached || percent >= 100) {
    return 'breached';
  }
  return warning || percent >= 80 ? 'warning' : 'normal';
}

/** Minutes as "1 天 2 小时 5 分" parts (a duration, not a countdown). */
export function minutesParts(minutes: number): { days: number; hours: number; minutes: number } {
  const total = Math.max(0, Math.round(minutes));
  return { days: Math.floor(total / 1440), hours: Math.floor((total % 1440) / 60), minutes: total % 60 };
}

export interface TypeTreeNode {
  value: string;
  title: string;
  /** The whole path, shown once chosen (环境 / 电力). */
  path: string;
  disabled?: boolean;
  children: TypeTreeNode[];
}

/** The fault types as a tree (parents before children, in `sort` order); disabled ones only when asked. */
export function typeTree(types: readonly IncidentType[], options: { includeDisabled?: boolean; keep?: string | null } = {}): TypeTreeNode[] {
  const shown = types.filter((x) => options.includeDisabled || x.enabled || x.id === options.keep);
  const ids = new Set(shown.map((x) => x.id));
  const byParent = new Map<string | null, IncidentType[]>();
  for (const type of shown) {
    const parent = type.parentId && ids.has(type.parentId) ? type.parentId : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), type]);
  }
  const build = (parent: string | null): TypeTreeNode[] =>
    (byParent.get(parent) ?? [])
      .sort((a, b) => a.sort - b.sort || a.name.localeCompare(b.name))
      .map((x) => ({ value: x.id, title: x.name, path: x.path, disabled: !x.enabled, children: build(x.id) }));
  return build(null);
}

/** `HH:mm` windows of a working day, in order and not overlapping: the index of the first bad one, or null. */
export function badWindow(windows: readonly { start: string; end: string }[]): number | null {
  let previousEnd = '';
  for (const [i, w] of windows.entries()) {
    if (!w.start || !w.end || w.start >= w.end || w.start < previousEnd) {
      return i;
    }
    previousEnd = w.end;
  }
  return null;
}

/** `status=new&status=on_hold`: the server reads a repeated parameter as a list. */
export function incidentListPath(query: IncidentListQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query) as [string, unknown][]) {
    if (value === undefined || value === null || value === '') {
      continue;
    }
    for (const item of Array.isArray(value) ? value : [value]) {
      params.append(key, String(item));
    }
  }
  const search = params.toString();
  return search ? `/api/incidents?${search}` : '/api/incidents';
}

/** A comma-separated URL filter (`status=new,on_hold`) as the values it may hold; unknown ones are dropped. */
export function listOf<T extends string>(text: string, allowed: readonly T[]): T[] {
  return text
    .split(',')
    .map((x) => x.trim())
    .filter((x): x is T => (allowed as readonly string[]).includes(x))
    .filter((x, i, all) => all.indexOf(x) === i);
}
