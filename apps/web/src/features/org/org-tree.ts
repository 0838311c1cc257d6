import type { OrgUnit } from '@yunwei/contracts/org';

export interface OrgTreeNode {
  key: string;
  value: string;
  title: string;
  unit: OrgUnit;
  disabled?: boolean;
  children?: OrgTreeNode[];
}

function compareUnits(a: OrgUnit, b: OrgUnit): number {
  return a.sortOrder - b.sortOrder || a.name.localeCompare(b.name, 'zh-CN');
}

/** Nest the flat list; units whose parent is unknown become roots. */
export function buildOrgTree(units: readonly OrgUnit[], disabledIds?: ReadonlySet<string>): OrgTreeNode[] {
  const ids = new Set(units.map((unit) => unit.id));
  const children = new Map<string | null, OrgUnit[]>();
  for (const unit of units) {
    const parent = unit.parentId && ids.has(unit.parentId) ? unit.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), unit]);
  }
  const build = (parent: string | null): OrgTreeNode[] =>
    (children.get(parent) ?? []).sort(compareUnits).map((unit) => {
      const nested = build(unit.id);
      return {
        key: unit.id,
        value: unit.id,
        title: unit.name,
        unit,
        disabled: disabledIds?.has(unit.id) || undefined,
        children: nested.length > 0 ? nested : undefined,
      };
    });
  return build(null);
}

/** The unit and all units below it. */
export function descendantIds(units: readonly OrgUnit[], id: string): Set<string> {
  const result = new Set<string>([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const unit of units) {
      if (unit.parentId && result.has(unit.parentId) && !result.has(unit.id)) {
        result.add(unit.id);
        grew = true;
      }
    }
  }
  return result;
}

/** "总部 / 信息中心 / 运维组" */
export function unitPath(units: readonly OrgUnit[], id: string | null | undefined): string {
  if (!id) {
    return '';
  }
  const byId = new Map(units.map((unit) => [unit.id, unit]));
  const names: string[] = [];
  let current = byId.get(id);
  const seen = new Set<string>();
  while (current && !seen.has(current.id)) {
    seen.add(current.id);
    names.unshift(current.name);
    current = current.parentId ? byId.get(current.parentId) : undefined;
  }
  return names.join(' / ');
}
