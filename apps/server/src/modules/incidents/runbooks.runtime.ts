import { RUNBOOK_SUBJECT_TYPE } from '@yunwei/contracts/incident-runbooks';
import type { ModuleContext } from '../../platform/module.js';
import { approvalsOf } from '../approvals/runtime.js';
import { IncidentTaskService } from './incident-task.service.js';
import { RunbookRunService } from './runbook-run.service.js';
import { RunbookService } from './runbook.service.js';

/** Runbooks, their runs on incidents and incident tasks of one app; runbook versions are an approval subject. */
export class RunbooksRuntime {
  readonly runbooks: RunbookService;
  readonly runs: RunbookRunService;
  readonly tasks: IncidentTaskService;

  constructor(ctx: ModuleContext) {
    const approvals = approvalsOf(ctx);
    this.runbooks = new RunbookService(ctx, approvals);
    this.runs = new RunbookRunService(ctx);
    this.tasks = new IncidentTaskService(ctx, this.runs);
    approvals.register(RUNBOOK_SUBJECT_TYPE, {
      title: { zh: '故障处理方案', en: 'Runbook' },
      onOutcome: (trx, versionId, outcome, request) => this.runbooks.settle(trx, versionId, outcome, request),
    });
  }
}

const runtimes = new WeakMap<ModuleContext, RunbooksRuntime>();

export function runbooksOf(ctx: ModuleContext): RunbooksRuntime {
  let runtime = runtimes.get(ctx);
  if (!runtime) {
    runtime = new RunbooksRuntime(ctx);
    runtimes.set(ctx, runtime);
  }
  return runtime;
}
