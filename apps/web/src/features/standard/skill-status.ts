import type { CapabilityRow } from '@yunwei/contracts/standard';

export type SkillStatus = CapabilityRow['status'];
export type TestStatus = CapabilityRow['tests'][number]['status'];

export const SKILL_STATUSES: readonly SkillStatus[] = ['proven', 'failing', 'unproven'];

export const SKILL_STATUS_COLORS: Record<SkillStatus, string> = {
  proven: 'success',
  failing: 'error',
  unproven: 'default',
};

export const TEST_STATUS_COLORS: Record<TestStatus, string> = {
  passed: 'success',
  failed: 'error',
  skipped: 'default',
  ignored: 'warning',
};
