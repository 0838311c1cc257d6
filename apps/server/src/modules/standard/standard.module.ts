import { CapabilityMatrix, STANDARD_PERMISSIONS as P } from '@yunwei/contracts/standard';
import { defineModule, type ModuleDefinition } from '../../platform/module.js';
import { capabilityMatrix, readSkillsReport } from './capability.service.js';

/** The standard in the product: the capability matrix. It needs the list of composed modules. */
export function standardModule(modules: () => readonly ModuleDefinition[]): ModuleDefinition {
  return defineModule({
    id: 'standard',
    name: { zh: '职业标准', en: 'Occupational standard' },
    skills: [],
    permissions: [{ id: P.matrixRead, name: { zh: '查看能力矩阵', en: 'View the capability matrix' }, grants: ['system_admin', 'security_admin', 'audit_admin', 'operator', 'viewer'] }],
    routes: (app, ctx) => {
      app.get(
        '/api/standard/matrix',
        { config: { permission: P.matrixRead }, schema: { tags: ['standard'], summary: 'The 91 skills, where each is served and which tests prove it', response: { 200: CapabilityMatrix } } },
        () => capabilityMatrix(modules(), readSkillsReport(ctx.config.skillsReport)),
      );
    },
  });
}
