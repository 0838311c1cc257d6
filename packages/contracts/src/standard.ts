import Type, { type Static } from 'typebox';
import type { PermissionId } from './access.js';

export const STANDARD_PERMISSIONS = {
  matrixRead: 'standard.matrix.read',
} as const satisfies Record<string, PermissionId>;

/**
 * One test carrying a skill id in its own title. `ignored`: it ran but proves nothing (no assertion,
 * or an `it.fails`); `reason` says why a test is ignored, skipped or failed without running.
 */
export const SkillTest = Type.Object({
  title: Type.String(),
  file: Type.String(),
  status: Type.Union([Type.Literal('passed'), Type.Literal('failed'), Type.Literal('skipped'), Type.Literal('ignored')]),
  reason: Type.Optional(Type.Union([Type.Literal('no-assertion'), Type.Literal('expected-failure'), Type.Literal('todo'), Type.Literal('load-error')])),
});
export type SkillTest = Static<typeof SkillTest>;

export const CapabilityRow = Type.Object({
  id: Type.String(),
  level: Type.String(),
  functionId: Type.String(),
  workId: Type.String(),
  zh: Type.String(),
  en: Type.String(),
  modules: Type.Array(Type.String()),
  tests: Type.Array(SkillTest),
  status: Type.Union([Type.Literal('proven'), Type.Literal('failing'), Type.Literal('unproven')]),
});
export type CapabilityRow = Static<typeof CapabilityRow>;

export const CapabilityMatrix = Type.Object({
  generatedAt: Type.Union([Type.Integer(), Type.Null()]),
  /** When the test run the report was built from started, and the commit it tested (`-dirty`: with uncommitted changes). */
  testedAt: Type.Union([Type.Integer(), Type.Null()]),
  commit: Type.Union([Type.String(), Type.Null()]),
  proven: Type.Integer(),
  total: Type.Integer(),
  levels: Type.Array(Type.Object({ id: Type.String(), zh: Type.String(), en: Type.String() })),
  functions: Type.Array(Type.Object({ id: Type.String(), zh: Type.String(), en: Type.String() })),
  skills: Type.Array(CapabilityRow),
});
export type CapabilityMatrix = Static<typeof CapabilityMatrix>;

/** `0123456789abcdef…-dirty` → `0123456789ab-dirty`: a commit as people read it. */
export function shortCommit(commit: string): string {
  return commit.replace(/^([0-9a-f]{12})[0-9a-f]+/, '$1');
}
