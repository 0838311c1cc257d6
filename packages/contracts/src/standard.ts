import Type, { type Static } from 'typebox';
import type { PermissionId } from './access.js';

export const STANDARD_PERMISSIONS = {
  matrixRead: 'standard.matrix.read',
} as const satisfies Record<string, PermissionId>;

export const SkillTest = Type.Object({
  title: Type.String(),
  file: Type.String(),
  status: Type.Union([Type.Literal('passed'), Type.Literal('failed'), Type.Literal('skipped')]),
});

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
  proven: Type.Integer(),
  total: Type.Integer(),
  levels: Type.Array(Type.Object({ id: Type.String(), zh: Type.String(), en: Type.String() })),
  functions: Type.Array(Type.Object({ id: Type.String(), zh: Type.String(), en: Type.String() })),
  skills: Type.Array(CapabilityRow),
});
export type CapabilityMatrix = Static<typeof CapabilityMatrix>;
