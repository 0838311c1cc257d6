import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { AGENT_COMMAND_FINAL, AGENT_COMMAND_PERMISSIONS, type AgentCommandStatus } from '@yunwei/contracts/agent-commands';
import { AGENTS_PERMISSIONS } from '@yunwei/contracts/agents';
import type { LocalizedText } from '@yunwei/contracts/i18n';
import {
  RUNBOOK_LIMITS,
  type RunbookRun,
  type RunbookRunList,
  type RunbookStep,
  type RunbookStepActionInput,
  type RunbookStepLive,
  type RunbookStepRun,
} from '@yunwei/contracts/incident-runbooks';
import { INCIDENT_PERMISSIONS as P } from '@yunwei/contracts/incidents';
import { fromJson, toJson } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import { type Actor, inScope } from '../../platform/actor.js';
import { AppError, invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { agentCommandsOf } from '../agents/agent-commands.service.js';
import { checksOf } from '../checks/runtime.js';
import type { IncidentTable } from './incidents.tables.js';
import { runbookState } from './runbook.service.js';
import type { IncidentRunbookRunTable, IncidentRunbookStepRunTable } from './runbooks.tables.js';
import { incidentsOf } from './runtime.js';

const FINISHED = ['done', 'failed', 'skipped'] as const;
const OPEN_INCIDENT = ['new', 'in_progress', 'on_hold'];
const cap = (s: string) => (s.length > RUNBOOK_LIMITS.stepOutput ? `${s.slice(0, RUNBOOK_LIMITS.stepOutput)}\n[…]` : s);

/**
 * The handler's reach for the commands of an approved runbook: its argv was fixed by the approved version,
 * so whoever handles the incident may have the host's agent run it on the incident's CIs within their
 * incident write scope (and read its output), without holding `agents.command.run` for arbitrary commands.
 */
export function runbookCommandActor(actor: Actor): Actor {
  const permissions = new Set(actor.permissions);
  const scopes = new Map(actor.scopes);
  permissions.add(AGENT_COMMAND_PERMISSIONS.commandRun);
  permissions.add(AGENTS_PERMISSIONS.agentRead);
  scopes.set(AGENT_COMMAND_PERMISSIONS.commandRun, actor.scopes.get(P.write) ?? new Set());
  scopes.set(AGENTS_PERMISSIONS.agentRead, 'all');
  return { ...actor, permissions, scopes };
}

/**
 * 按故障处理方案排除故障 (L3-2.3.3): a published runbook version executed on an incident, one step after the
 * other. Manual steps are marked done or failed with a note; a check step re-runs the check and records its
 * result; a command step has the host's agent run the argv and follows its output live until it ends, then the
 * handler marks the result against the expected one. Each action records who did it, writes an activity row
 * on the incident and an audit entry in the same transaction.
 */
export class RunbookRunService {
  constructor(private readonly ctx: ModuleContext) {}

  async list(actor: Actor, incidentId: string): Promise<RunbookRunList> {
    await incidentsOf(this.ctx).get(actor, incidentId);
    const runs = await this.ctx.db.selectFrom('incident_runbook_run').selectAll().where('incident_id', '=', incidentId).orderBy('started_at', 'desc').limit(100).execute();
    return { items: await Promise.all(runs.map((r) => this.#view(r))) };
  }

  async get(actor: Actor, incidentId: string, runId: string): Promise<RunbookRun> {
    await incidentsOf(this.ctx).get(actor, incidentId);
    return this.#view(await this.#run(this.ctx.db, incidentId, runId));
  }

  async start(actor: Actor, incidentId: string, runbookId: string): Promise<RunbookRun> {
    const id = uuidv7();
    await this.ctx.db.transaction().execute(async (trx) => {
      const incident = await this.#writable(trx, actor, incidentId);
      if (!OPEN_INCIDENT.includes(incident.status)) {
        throw runbookState('params.id', { zh: '故障已解决、关闭或取消，不能再执行处理方案', en: 'the incident is resolved, closed or cancelled: no runbook can be started on it' });
      }
      const runbook = await trx
        .selectFrom('incident_runbook as r')
        .innerJoin('incident_runbook_version as v', 'v.id', 'r.published_version_id')
        .select(['r.id', 'r.name', 'v.id as version_id', 'v.label', 'v.steps'])
        .where('r.id', '=', runbookId)
        .executeTakeFirst();
      if (!runbook) {
        throw invalidField('body.runbookId', { zh: '故障处理方案不存在或尚未发布', en: 'no such runbook, or it has no published version' });
      }
      const now = Date.now();
      await trx.insertInto('incident_runbook_run').values({ id, incident_id: incidentId, runbook_id: runbook.id, runbook_version_id: runbook.version_id, started_by: actor.userId, status: 'running', started_at: now, finished_at: null, note: '' }).execute();
      const steps = fromJson<RunbookStep[]>(runbook.steps);
      await trx
        .insertInto('incident_runbook_step_run')
        .values(steps.map((_, idx) => ({ run_id: id, idx, status: 'pending' as const, actor_id: null, started_at: null, finished_at: null, output: '', result: null, note: '', agent_command_id: null, ci_id: null, exit_code: null, check_result: null, task_id: null })))
        .execute();
      await this.#activity(trx, incidentId, actor, { zh: `开始执行故障处理方案《${runbook.name}》${runbook.label}（共 ${steps.length} 步）`, en: `Started runbook "${runbook.name}" ${runbook.label} (${steps.length} steps)` });
      await this.ctx.audit.record(trx, { actor, action: 'incidents.runbook-run.start', targetType: 'incident', targetId: incidentId, after: { runId: id, runbook: runbook.name, version: runbook.label } });
    });
    this.ctx.events.emit('incidents.incident.changed', { id: incidentId });
    return this.get(actor, incidentId, id);
  }

  async abandon(actor: Actor, incidentId: string, runId: string, note: string): Promise<RunbookRun> {
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.#writable(trx, actor, incidentId);
      const run = await this.#run(trx, incidentId, runId);
      if (run.status !== 'running') {
        throw runbookState('params.runId', { zh: '该次执行已结束', en: 'this run has ended' });
      }
      await trx.updateTable('incident_runbook_run').set({ status: 'abandoned', finished_at: Date.now(), note: note.trim() }).where('id', '=', runId).where('status', '=', 'running').execute();
      const name = await this.#runbookName(trx, run);
      await this.#activity(trx, incidentId, actor, { zh: `放弃执行故障处理方案《${name}》：${note.trim()}`, en: `Abandoned runbook "${name}": ${note.trim()}` });
      await this.ctx.audit.record(trx, { actor, action: 'incidents.runbook-run.abandon', targetType: 'incident', targetId: incidentId, after: { runId, runbook: name, note } });
    });
    this.ctx.events.emit('incidents.incident.changed', { id: incidentId });
    return this.get(actor, incidentId, runId);
  }

  /** One action on step `index`: run (check, command), done, fail, skip. Steps are taken in order. */
  async act(actor: Actor, incidentId: string, runId: string, index: number, input: RunbookStepActionInput): Promise<RunbookRun> {
    const note = input.note?.trim() ?? '';
    if ((input.action === 'fail' || input.action === 'skip') && !note) {
      throw invalidField('body.note', input.action === 'fail' ? { zh: '请说明实际结果（与预期结果有何不同）', en: 'say what happened instead of the expected result' } : { zh: '请说明跳过此步的原因', en: 'say why this step is skipped' });
    }
    const plan = await this.ctx.db.transaction().execute(async (trx) => {
      const incident = await this.#writable(trx, actor, incidentId);
      const { run, step, def } = await this.#actionable(trx, incidentId, runId, index);
      return { incident, run, step, def };
    });
    if (input.action === 'run' && plan.def.kind === 'check') {
      return this.#runCheck(actor, plan.incident, plan.run, plan.step, plan.def);
    }
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.#writable(trx, actor, incidentId);
      const { run, step, def } = await this.#actionable(trx, incidentId, runId, index);
      const title = `第 ${index + 1} 步「${def.title}」`;
      const titleEn = `step ${index + 1} "${def.title}"`;
      const now = Date.now();
      switch (input.action) {
        case 'run': {
          if (def.kind !== 'command') {
            throw invalidField('body.action', { zh: '人工步骤请按实际情况标记完成或失败', en: 'a manual step is marked done or failed' });
          }
          await this.#commandLive(trx, step, true);
          const ciId = await this.#host(trx, actor, plan.incident, input.ciId);
          const dispatched = await agentCommandsOf(this.ctx).dispatch(
            runbookCommandActor(actor),
            { ciId, argv: def.argv!, timeoutMs: Math.max(1000, (def.timeoutSeconds ?? 60) * 1000), purpose: { type: 'incident.runbook-step', id: runId, label: `${plan.incident.number} ${title}`.slice(0, 200) } },
            trx,
          );
          await this.#setStep(trx, run.id, index, { status: 'running', actor_id: actor.userId, started_at: now, finished_at: null, agent_command_id: dispatched.id, ci_id: ciId, output: '', exit_code: null, result: null });
          const host = (await trx.selectFrom('cmdb_ci').select('name').where('id', '=', ciId).executeTakeFirst())?.name ?? ciId;
          await this.#activity(trx, incidentId, actor, { zh: `在 ${host} 上执行${title}的命令：${def.argv!.join(' ')}`, en: `Ran the command of ${titleEn} on ${host}: ${def.argv!.join(' ')}` });
          await this.ctx.audit.record(trx, { actor, action: 'incidents.runbook-step.run', targetType: 'incident', targetId: incidentId, after: { runId, index, argv: def.argv, ciId, host, agentCommandId: dispatched.id, warning: dispatched.warning } });
          break;
        }
        case 'done':
        case 'fail': {
          const ended = await this.#commandLive(trx, step, false);
          const ok = input.action === 'done';
          await this.#setStep(trx, run.id, index, { status: ok ? 'done' : 'failed', result: ok ? 'ok' : 'not_ok', actor_id: actor.userId, started_at: step.started_at ?? now, finished_at: now, note, ...ended });
          const verdict = ok ? { zh: '完成', en: 'done' } : { zh: '未达到预期', en: 'not as expected' };
          await this.#activity(trx, incidentId, actor, { zh: `${title}：${verdict.zh}${note ? `（${note}）` : ''}`, en: `${titleEn}: ${verdict.en}${note ? ` (${note})` : ''}` });
          await this.ctx.audit.record(trx, { actor, action: `incidents.runbook-step.${input.action}`, targetType: 'incident', targetId: incidentId, after: { runId, index, title: def.title, result: ok ? 'ok' : 'not_ok', note, ...(ended.exit_code !== undefined ? { exitCode: ended.exit_code } : {}) } });
          break;
        }
        case 'skip': {
          const ended = await this.#commandLive(trx, step, false);
          await this.#setStep(trx, run.id, index, { status: 'skipped', result: null, actor_id: actor.userId, finished_at: now, note, ...ended });
          await this.#activity(trx, incidentId, actor, { zh: `跳过${title}：${note}`, en: `Skipped ${titleEn}: ${note}` });
          await this.ctx.audit.record(trx, { actor, action: 'incidents.runbook-step.skip', targetType: 'incident', targetId: incidentId, after: { runId, index, title: def.title, note } });
          break;
        }
      }
      await this.completeIfDone(trx, actor, incidentId, runId);
    });
    this.ctx.events.emit('incidents.incident.changed', { id: incidentId });
    return this.get(actor, incidentId, runId);
  }

  /** A step as it runs, with its command's output from `offset` (poll every second while `live`). */
  async live(actor: Actor, incidentId: string, runId: string, index: number, offset = 0): Promise<RunbookStepLive> {
    await incidentsOf(this.ctx).get(actor, incidentId);
    const run = await this.#run(this.ctx.db, incidentId, runId);
    const step = await this.ctx.db.selectFrom('incident_runbook_step_run').selectAll().where('run_id', '=', run.id).where('idx', '=', index).executeTakeFirst();
    if (!step) {
      throw new AppError('YW_INCIDENT_RUNBOOK_RUN_NOT_FOUND', { field: 'params.index', id: runId });
    }
    if (!step.agent_command_id) {
      const out = step.output.slice(Math.min(offset, step.output.length));
      return { status: step.status, commandStatus: null, exitCode: step.exit_code, live: false, output: out, offset: Math.min(offset, step.output.length), nextOffset: step.output.length };
    }
    const command = await agentCommandsOf(this.ctx).get(runbookCommandActor(actor), step.agent_command_id, offset);
    const live = !AGENT_COMMAND_FINAL.includes(command.status);
    if (!live && step.exit_code === null && step.output === '' && (command.outputSize > 0 || command.exitCode !== null)) {
      // The command has ended: keep its output (capped) and exit code with the step.
      const all = await agentCommandsOf(this.ctx).get(runbookCommandActor(actor), step.agent_command_id, 0);
      await this.ctx.db.updateTable('incident_runbook_step_run').set({ output: cap(all.output), exit_code: all.exitCode }).where('run_id', '=', run.id).where('idx', '=', index).where('agent_command_id', '=', step.agent_command_id).execute();
    }
    return { status: step.status, commandStatus: command.status, exitCode: command.exitCode, live, output: command.output, offset: command.offset, nextOffset: command.nextOffset };
  }

  /** Ends the run when every step is finished (the last step done, skipped, failed, or its task completed). */
  async completeIfDone(trx: Kysely<Database>, actor: Actor, incidentId: string, runId: string): Promise<void> {
    const open = await trx.selectFrom('incident_runbook_step_run').select('idx').where('run_id', '=', runId).where('status', 'not in', [...FINISHED]).executeTakeFirst();
    if (open) {
      return;
    }
    const done = await trx.updateTable('incident_runbook_run').set({ status: 'completed', finished_at: Date.now() }).where('id', '=', runId).where('status', '=', 'running').executeTakeFirst();
    if (Number(done.numUpdatedRows) === 1) {
      const run = (await trx.selectFrom('incident_runbook_run').selectAll().where('id', '=', runId).executeTakeFirst())!;
      const name = await this.#runbookName(trx, run);
      const failed = await trx.selectFrom('incident_runbook_step_run').select('idx').where('run_id', '=', runId).where('status', '=', 'failed').execute();
      await this.#activity(trx, incidentId, actor, {
        zh: `故障处理方案《${name}》执行完毕${failed.length ? `：第 ${failed.map((f) => Number(f.idx) + 1).join('、')} 步未达到预期` : '：各步均达到预期'}`,
        en: `Runbook "${name}" finished${failed.length ? `: step ${failed.map((f) => Number(f.idx) + 1).join(', ')} not as expected` : ': every step as expected'}`,
      });
      await this.ctx.audit.record(trx, { actor, action: 'incidents.runbook-run.complete', targetType: 'incident', targetId: incidentId, after: { runId, runbook: name, failedSteps: failed.map((f) => Number(f.idx) + 1) } });
    }
  }

  // ------------------------------------------------------------ steps

  async #runCheck(actor: Actor, incident: IncidentTable, run: IncidentRunbookRunTable, step: IncidentRunbookStepRunTable, def: RunbookStep): Promise<RunbookRun> {
    const startedAt = Date.now();
    const result = await checksOf(this.ctx).runNow(actor, def.checkId!);
    const up = result.status === 'up';
    const check = (await this.ctx.db.selectFrom('check_definition').select('name').where('id', '=', def.checkId!).executeTakeFirst())?.name ?? def.checkId!;
    const message = result.message ?? '';
    const output = `${check}: ${up ? 'UP' : 'DOWN'}${result.latencyMs !== null ? ` ${Math.round(result.latencyMs)} ms` : ''}${message ? ` — ${message}` : ''}`;
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.#writable(trx, actor, incident.id);
      await this.#actionable(trx, incident.id, run.id, step.idx);
      const now = Date.now();
      await this.#setStep(trx, run.id, step.idx, {
        status: up ? 'done' : 'failed',
        result: up ? 'ok' : 'not_ok',
        actor_id: actor.userId,
        started_at: startedAt,
        finished_at: now,
        output,
        check_result: toJson({ status: result.status, latencyMs: result.latencyMs, message: result.message, at: result.at }),
      });
      const title = `第 ${Number(step.idx) + 1} 步「${def.title}」`;
      await this.#activity(trx, incident.id, actor, { zh: `${title}重新运行检查“${check}”：${up ? '正常' : '异常'}${message ? `（${message}）` : ''}`, en: `${`step ${Number(step.idx) + 1} "${def.title}"`} re-ran the check "${check}": ${up ? 'up' : 'down'}${message ? ` (${message})` : ''}` });
      await this.ctx.audit.record(trx, { actor, action: 'incidents.runbook-step.check', targetType: 'incident', targetId: incident.id, after: { runId: run.id, index: Number(step.idx), checkId: def.checkId, check, status: result.status, latencyMs: result.latencyMs } });
      await this.completeIfDone(trx, actor, incident.id, run.id);
    });
    this.ctx.events.emit('incidents.incident.changed', { id: incident.id });
    return this.get(actor, incident.id, run.id);
  }

  /**
   * The step's command: refuses (`live`: false) while it still runs, else answers its output and exit code to
   * keep with the step. `rerun`: a command step may be run again once its command has ended.
   */
  async #commandLive(trx: Kysely<Database>, step: IncidentRunbookStepRunTable, rerun: boolean): Promise<{ output?: string; exit_code?: number | null }> {
    if (!step.agent_command_id) {
      return {};
    }
    const command = await trx.selectFrom('agent_command').select(['status', 'output', 'output_tail', 'exit_code']).where('id', '=', step.agent_command_id).executeTakeFirst();
    if (command && !AGENT_COMMAND_FINAL.includes(command.status)) {
      throw runbookState('body.action', rerun ? { zh: '该步的命令仍在执行，请等待其结束', en: 'the command of this step is still running: wait for it to end' } : { zh: '命令仍在执行：请等它结束后，对照预期结果标记', en: 'the command is still running: mark the result against the expected one once it has ended' });
    }
    if (!command) {
      return {};
    }
    const output = command.output_tail ? `${command.output}\n[…]\n${command.output_tail}` : command.output;
    return { output: cap(output), exit_code: command.exit_code };
  }

  /** The host the command runs on: the CI chosen, else the first CI of the incident with an agent. */
  async #host(trx: Kysely<Database>, actor: Actor, incident: IncidentTable, chosen: string | undefined): Promise<string> {
    if (chosen) {
      const ci = await trx.selectFrom('cmdb_ci').select(['id', 'name', 'org_unit_id']).where('id', '=', chosen).executeTakeFirst();
      if (!ci) {
        throw invalidField('body.ciId', { zh: '配置项不存在', en: 'no such CI' });
      }
      if (!inScope(actor, P.write, ci.org_unit_id)) {
        throw invalidField('body.ciId', { zh: `配置项“${ci.name}”不在您的数据范围内`, en: `CI "${ci.name}" is outside your data scope` });
      }
      return ci.id;
    }
    const withAgent = await trx
      .selectFrom('incident_ci as i')
      .innerJoin('agent as a', 'a.ci_id', 'i.ci_id')
      .select('i.ci_id')
      .where('i.incident_id', '=', incident.id)
      .orderBy('i.ci_id')
      .executeTakeFirst();
    if (!withAgent) {
      throw invalidField('body.ciId', { zh: '该故障的配置项都没有安装代理：请选择要执行命令的主机', en: "none of the incident's CIs has an agent: choose the host to run the command on" });
    }
    return withAgent.ci_id;
  }

  /** The run (running) and the step, which may be acted on only once every step before it is finished. */
  async #actionable(trx: Kysely<Database>, incidentId: string, runId: string, index: number) {
    const run = await this.#run(trx, incidentId, runId);
    if (run.status !== 'running') {
      throw runbookState('params.runId', { zh: '该次执行已结束', en: 'this run has ended' });
    }
    const version = await trx.selectFrom('incident_runbook_version').select('steps').where('id', '=', run.runbook_version_id).executeTakeFirstOrThrow();
    const def = fromJson<RunbookStep[]>(version.steps)[index];
    const steps = await trx.selectFrom('incident_runbook_step_run').selectAll().where('run_id', '=', runId).orderBy('idx').execute();
    const step = steps.find((s) => Number(s.idx) === index);
    if (!def || !step) {
      throw new AppError('YW_INCIDENT_RUNBOOK_RUN_NOT_FOUND', { field: 'params.index', id: runId });
    }
    const before = steps.find((s) => Number(s.idx) < index && !(FINISHED as readonly string[]).includes(s.status));
    if (before) {
      throw runbookState('params.index', { zh: `请按顺序执行：第 ${Number(before.idx) + 1} 步尚未完成`, en: `work in order: step ${Number(before.idx) + 1} is not finished yet` });
    }
    if ((FINISHED as readonly string[]).includes(step.status) && !(step.status === 'failed')) {
      throw runbookState('params.index', { zh: `第 ${index + 1} 步已结束`, en: `step ${index + 1} has ended` });
    }
    return { run, step, def };
  }

  async #setStep(trx: Kysely<Database>, runId: string, index: number, patch: Partial<IncidentRunbookStepRunTable>): Promise<void> {
    await trx.updateTable('incident_runbook_step_run').set(patch).where('run_id', '=', runId).where('idx', '=', index).execute();
  }

  // ------------------------------------------------------------ shared

  /** The incident, when the actor may handle it (its unit in their write scope, or they are its handler). */
  async #writable(trx: Kysely<Database>, actor: Actor, incidentId: string): Promise<IncidentTable> {
    const row = await trx.selectFrom('incident').selectAll().where('id', '=', incidentId).executeTakeFirst();
    if (!row) {
      throw new AppError('YW_INCIDENT_NOT_FOUND', { field: 'params.id', id: incidentId });
    }
    if (!inScope(actor, P.write, row.org_unit_id) && row.org_unit_id !== null && row.assignee_id !== actor.userId) {
      throw new AppError('YW_OUT_OF_SCOPE', { permission: P.write });
    }
    return row;
  }

  async #run(db: Kysely<Database>, incidentId: string, runId: string): Promise<IncidentRunbookRunTable> {
    const run = await db.selectFrom('incident_runbook_run').selectAll().where('id', '=', runId).where('incident_id', '=', incidentId).executeTakeFirst();
    if (!run) {
      throw new AppError('YW_INCIDENT_RUNBOOK_RUN_NOT_FOUND', { field: 'params.runId', id: runId });
    }
    return run;
  }

  async #runbookName(db: Kysely<Database>, run: IncidentRunbookRunTable): Promise<string> {
    return (await db.selectFrom('incident_runbook').select('name').where('id', '=', run.runbook_id).executeTakeFirst())?.name ?? run.runbook_id;
  }

  /** Kind `link` (one of the incident's activity kinds) with the words in `{ zh, en }`: shown as written. */
  async #activity(trx: Kysely<Database>, incidentId: string, actor: Actor, text: LocalizedText): Promise<void> {
    await trx.insertInto('incident_activity').values({ id: uuidv7(), incident_id: incidentId, at: Date.now(), kind: 'link', actor_id: actor.userId, data: toJson(text), note: '' }).execute();
  }

  async #view(run: IncidentRunbookRunTable): Promise<RunbookRun> {
    const db = this.ctx.db;
    const [runbook, version, steps] = await Promise.all([
      db.selectFrom('incident_runbook').select('name').where('id', '=', run.runbook_id).executeTakeFirst(),
      db.selectFrom('incident_runbook_version').select(['label', 'steps']).where('id', '=', run.runbook_version_id).executeTakeFirstOrThrow(),
      db.selectFrom('incident_runbook_step_run').selectAll().where('run_id', '=', run.id).orderBy('idx').execute(),
    ]);
    const defs = fromJson<RunbookStep[]>(version.steps);
    const tasks = steps.some((s) => s.task_id) ? await db.selectFrom('incident_task').select(['id', 'assignee_id', 'status']).where('id', 'in', steps.map((s) => s.task_id).filter((x): x is string => Boolean(x))).execute() : [];
    const userIds = [...new Set([run.started_by, ...steps.map((s) => s.actor_id), ...tasks.map((t) => t.assignee_id)].filter((x): x is string => Boolean(x)))];
    const users = new Map(userIds.length ? (await db.selectFrom('user').select(['id', 'username', 'display_name']).where('id', 'in', userIds).execute()).map((u) => [u.id, u.display_name || u.username]) : []);
    const ciIds = [...new Set(steps.map((s) => s.ci_id).filter((x): x is string => Boolean(x)))];
    const cis = new Map(ciIds.length ? (await db.selectFrom('cmdb_ci').select(['id', 'name']).where('id', 'in', ciIds).execute()).map((c) => [c.id, c.name]) : []);
    const checkIds = [...new Set(defs.map((d) => d.checkId).filter((x): x is string => Boolean(x)))];
    const checks = new Map(checkIds.length ? (await db.selectFrom('check_definition').select(['id', 'name']).where('id', 'in', checkIds).execute()).map((c) => [c.id, c.name]) : []);
    const commandIds = steps.map((s) => s.agent_command_id).filter((x): x is string => Boolean(x));
    const commands = new Map(commandIds.length ? (await db.selectFrom('agent_command').select(['id', 'status', 'exit_code']).where('id', 'in', commandIds).execute()).map((c) => [c.id, c]) : []);
    const taskById = new Map(tasks.map((t) => [t.id, t]));
    const views: RunbookStepRun[] = steps.map((s) => {
      const d = defs[Number(s.idx)]!;
      const command = s.agent_command_id ? commands.get(s.agent_command_id) : undefined;
      const task = s.task_id ? taskById.get(s.task_id) : undefined;
      const check = s.check_result ? fromJson<{ status: string; latencyMs: number | null; message: string | null; at: number }>(s.check_result) : null;
      return {
        index: Number(s.idx),
        kind: d.kind,
        title: d.title,
        instructions: d.instructions ?? '',
        expected: d.expected ?? '',
        argv: d.argv ?? null,
        checkId: d.checkId ?? null,
        checkName: d.checkId ? (checks.get(d.checkId) ?? null) : null,
        status: s.status,
        result: s.result,
        actor: s.actor_id ? (users.get(s.actor_id) ?? null) : null,
        startedAt: s.started_at === null ? null : Number(s.started_at),
        finishedAt: s.finished_at === null ? null : Number(s.finished_at),
        note: s.note,
        output: s.output,
        ciName: s.ci_id ? (cis.get(s.ci_id) ?? null) : null,
        agentCommandId: s.agent_command_id,
        commandStatus: (command?.status as AgentCommandStatus | undefined) ?? null,
        exitCode: command ? command.exit_code : s.exit_code,
        checkResult: check,
        taskId: s.task_id,
        taskAssignee: task ? (users.get(task.assignee_id) ?? null) : null,
        taskStatus: task?.status ?? null,
      };
    });
    const current = views.find((v) => !(FINISHED as readonly string[]).includes(v.status));
    return {
      id: run.id,
      incidentId: run.incident_id,
      runbookId: run.runbook_id,
      runbookName: runbook?.name ?? run.runbook_id,
      versionLabel: version.label,
      status: run.status,
      startedBy: run.started_by ? (users.get(run.started_by) ?? null) : null,
      startedAt: Number(run.started_at),
      finishedAt: run.finished_at === null ? null : Number(run.finished_at),
      note: run.note,
      currentIndex: current ? current.index : null,
      steps: views,
    };
  }
}
