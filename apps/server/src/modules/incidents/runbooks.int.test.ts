import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentTask, Runbook, RunbookRun, RunbookStepLive } from '@yunwei/contracts/incident-runbooks';
import type { Incident, IncidentActivityList, IncidentType } from '@yunwei/contracts/incidents';
import { createTestApp, databaseAvailable, type TestApp, type TestSession, type TestUser } from '../../../test/test-app.js';
import { waitFor } from '../../../test/peers.js';
import { agentLauncher } from '../agents/agent-process.testing.js';

type Session = Pick<TestSession, 'request'>;
/** The texts people read are checked in Chinese (test sessions ask for English by default). */
const inChinese = (s: TestSession): Session => ({ request: (method, p, body, headers) => s.request(method, p, body, { 'accept-language': 'zh-CN', ...headers }) });

/**
 * 故障处理方案: runbooks versioned through the approval engine and filed in the library, suggested for an
 * incident by fault type and CI class, executed step by step — a manual step, a command the real
 * `yunwei-agent` on this machine runs with its output followed live, a check re-run against a loopback
 * server — and tasks for other people on a major incident (组织排除).
 */
describe.skipIf(!databaseAvailable())('incident runbooks, runs and tasks', () => {
  let t: TestApp;
  let admin: Session;
  let handler: { user: TestUser; s: Session };
  let approver: { user: TestUser; s: Session };
  let agent: ChildProcess | null = null;
  const agents = agentLauncher();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'yw-runbooks-'));
  let hostCiId = '';
  let checkId = '';
  let tcp: net.Server;
  let types: IncidentType[] = [];

  const person = async () => {
    const user = await t.newUser({ roles: ['operator'] });
    return { user, s: inChinese(await t.signIn(user)) };
  };
  const ok = async <T = unknown>(s: Session, method: string, url: string, body?: unknown): Promise<T> => {
    const res = await s.request(method as never, url, body as never);
    expect(res.status, `${method} ${url}: ${res.body}`).toBe(200);
    return res.json as T;
  };
  const typeId = (code: string) => types.find((x) => x.code === code)!.id;
  const runbookSteps = () => [
    { kind: 'manual', title: '确认告警与影响范围', instructions: '查看告警详情，确认受影响的业务系统', expected: '影响范围已确认' },
    { kind: 'command', title: '检查磁盘空间', argv: ['/bin/sh', '-c', 'echo 检查磁盘; df -h /'], expected: '根分区使用率低于 90%', timeoutSeconds: 30 },
    { kind: 'check', title: '重新检查服务端口', checkId, expected: '端口检查恢复正常' },
  ];
  /** Approves the version in review as the approver (the flow incident.runbook names them). */
  const approve = async (runbook: Runbook) => {
    const requestId = runbook.nextVersion!.approvalRequestId!;
    const detail = await ok<{ tasks: { id: string; status: string; assignee: { id: string } }[] }>(approver.s, 'GET', `/api/approvals/requests/${requestId}`);
    const task = detail.tasks.find((x) => x.assignee.id === approver.user.id && x.status === 'pending')!;
    await ok(approver.s, 'POST', `/api/approvals/tasks/${task.id}/approve`, { comment: '同意' });
  };

  beforeAll(async () => {
    t = await createTestApp();
    admin = inChinese(await t.signIn(t.admin));
    handler = await person();
    approver = await person();
    types = await ok<IncidentType[]>(admin, 'GET', '/api/incidents/types');
    // The real agent, enrolled with remote execution allowed, on this machine's host CI.
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const token = (await ok<{ secret: string }>(admin, 'POST', '/api/agents/enrolment-tokens', { name: 'runbooks' })).secret;
    const configFile = path.join(dir, 'config.json');
    const enroll = agents.spawn(['enroll', '--server', url, '--token', token, '--config', configFile, '--state-dir', path.join(dir, 'state'), '--allow-remote-exec']);
    const code = await new Promise((resolve) => enroll.once('exit', resolve));
    if (code !== 0) {
      throw new Error(`enroll exited with ${String(code)}: ${agents.log()}`);
    }
    hostCiId = (JSON.parse(readFileSync(configFile, 'utf8')) as { ciId: string }).ciId;
    agent = agents.spawn(['run', '--config', configFile, '--interval', '1', '--inventory-check', '3600']);
    // A TCP service on loopback for the check step.
    tcp = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    const check = await ok<{ id: string }>(admin, 'POST', '/api/checks', { name: '业务端口', type: 'tcp', settings: { host: '127.0.0.1', port: (tcp.address() as AddressInfo).port }, intervalSeconds: 3600, timeoutMs: 2000, ciId: hostCiId });
    checkId = check.id;
  }, 180_000);

  afterAll(async () => {
    if (agent && agent.exitCode === null) {
      const exited = new Promise((resolve) => agent!.once('exit', resolve));
      agent.kill('SIGTERM');
      await exited;
    }
    if (tcp) {
      await new Promise((resolve) => tcp.close(resolve));
    }
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('refuses bad steps naming the step field, and publishing without a flow needs incidents.runbook.publish', async () => {
    const noArgv = await handler.s.request('POST', '/api/incidents/runbooks', { name: '坏方案', steps: [{ kind: 'manual', title: '一' }, { kind: 'command', title: '二' }] });
    expect(noArgv.status).toBe(400);
    expect(noArgv.json.details.fields[0].field).toBe('body.steps.1.argv');
    const noCheck = await handler.s.request('POST', '/api/incidents/runbooks', { name: '坏方案', steps: [{ kind: 'check', title: '一', checkId: '0190aaaa-0000-7000-8000-000000000000' }] });
    expect(noCheck.status).toBe(400);
    expect(noCheck.json.details.fields[0].field).toBe('body.steps.0.checkId');
    const shapeless = await handler.s.request('POST', '/api/incidents/runbooks', { name: '坏方案', steps: [{ kind: 'manual', title: '一' }, { kind: 'manual', title: '' }] });
    expect(shapeless.status).toBe(400);
    expect(JSON.stringify(shapeless.json.details)).toContain('steps.1.title');
    const tooMany = await handler.s.request('POST', '/api/incidents/runbooks', { name: '坏方案', steps: Array.from({ length: 51 }, (_, i) => ({ kind: 'manual', title: `第 ${i} 步` })) });
    expect(tooMany.status).toBe(400);

    const draft = await ok<Runbook>(handler.s, 'POST', '/api/incidents/runbooks', { name: '通用排查', steps: [{ kind: 'manual', title: '记录现象' }] });
    const refused = await handler.s.request('POST', `/api/incidents/runbooks/${draft.id}/submit`, {});
    expect(refused.status).toBe(403);
    const published = await ok<Runbook>(admin, 'POST', `/api/incidents/runbooks/${draft.id}/submit`, { comment: '直接发布' });
    expect(published).toMatchObject({ status: 'published', publishedVersion: { label: '1.0', status: 'published' }, nextVersion: null });
  });

  it('[L3-2.3.3] versioning: a version in review does not replace the published one; approval publishes it and files it in the library', async () => {
    await ok(admin, 'POST', '/api/approvals/flows', { code: 'incident.runbook', nameZh: '故障处理方案审批', nameEn: 'Runbook approval', steps: [{ name: '审批', mode: 'any', approvers: [{ kind: 'user', userId: approver.user.id }] }] });
    const created = await ok<Runbook>(handler.s, 'POST', '/api/incidents/runbooks', { name: '服务器磁盘告警处理', description: '服务器磁盘或端口异常时按此排查', typeIds: [typeId('hardware.server')], ciClasses: ['server'], steps: runbookSteps(), changeNote: '初版' });
    expect(created).toMatchObject({ status: 'draft', typeNames: ['服务器'], nextVersion: { label: '1.0', status: 'draft' }, publishedVersion: null });
    const inReview = await ok<Runbook>(handler.s, 'POST', `/api/incidents/runbooks/${created.id}/submit`, {});
    expect(inReview.nextVersion).toMatchObject({ label: '1.0', status: 'in_review' });
    await approve(inReview);
    const v1 = await ok<Runbook>(handler.s, 'GET', `/api/incidents/runbooks/${created.id}`);
    expect(v1).toMatchObject({ status: 'published', publishedVersion: { label: '1.0', approvedBy: '用户 ' + approver.user.username.replace('user', '') } });

    // 1.1 in review: 1.0 stays in force (and is what an incident is offered) until 1.1 is approved.
    await ok(handler.s, 'PUT', `/api/incidents/runbooks/${created.id}/draft`, { steps: [...runbookSteps(), { kind: 'manual', title: '通知业务部门', expected: '已通知' }], changeNote: '增加通知步骤' });
    const review11 = await ok<Runbook>(handler.s, 'POST', `/api/incidents/runbooks/${created.id}/submit`, {});
    expect(review11).toMatchObject({ publishedVersion: { label: '1.0', status: 'published' }, nextVersion: { label: '1.1', status: 'in_review' } });
    expect(review11.publishedVersion!.steps).toHaveLength(3);
    const locked = await handler.s.request('PUT', `/api/incidents/runbooks/${created.id}/draft`, { steps: runbookSteps() });
    expect(locked.status).toBe(409);
    await approve(review11);
    const v11 = await ok<Runbook>(handler.s, 'GET', `/api/incidents/runbooks/${created.id}`);
    expect(v11.publishedVersion).toMatchObject({ label: '1.1', status: 'published' });
    expect(v11.versions.map((v) => [v.label, v.status])).toEqual([['1.1', 'published'], ['1.0', 'superseded']]);

    // Filed in the library as a 故障处理方案 document, its steps a numbered list with the expected results.
    const filed = await waitFor(async () => {
      const r = await ok<Runbook>(admin, 'GET', `/api/incidents/runbooks/${created.id}`);
      const versions = r.document ? (await ok<{ versions: { label: string; status: string }[] }>(admin, 'GET', `/api/library/documents/${r.document.id}`)).versions : [];
      return versions.some((v) => v.status === 'published' && v.label === 'v1.1') ? r.document : null;
    }, 'the runbook to be filed in the library', 15_000);
    expect(filed!.number).toMatch(/^GZFA-\d{4}-\d{3}$/);
    const doc = await ok<{ type: { code: string; name: string }; title: string; status: string; body: unknown }>(admin, 'GET', `/api/library/documents/${filed!.id}`);
    expect(doc).toMatchObject({ type: { code: 'fault_runbook', name: '故障处理方案' }, title: '故障处理方案：服务器磁盘告警处理', status: 'published' });
    const text = JSON.stringify(doc.body);
    expect(text).toContain('orderedList');
    expect(text).toContain('检查磁盘空间');
    expect(text).toContain('预期结果：');
    expect(text).toContain('根分区使用率低于 90%');
    expect(text).toContain('通知业务部门');
  });

  it('[L3-2.3.3] a runbook executed step by step on a real agent on this machine, output recorded', async () => {
    const runbook = (await ok<{ items: { id: string; name: string }[] }>(handler.s, 'GET', '/api/incidents/runbooks')).items.find((r) => r.name === '服务器磁盘告警处理')!;
    const incident = await ok<Incident>(handler.s, 'POST', '/api/incidents', { title: '主机磁盘告警', impact: 2, urgency: 2, typeId: typeId('hardware.server'), ciIds: [hostCiId] });

    // Suggested for the incident: its fault type and its CI's class; the best match first.
    const suggested = await ok<{ items: { runbookId: string; reasons: string[]; versionLabel: string }[] }>(handler.s, 'GET', `/api/incidents/${incident.id}/runbooks`);
    expect(suggested.items[0]).toMatchObject({ runbookId: runbook.id, versionLabel: '1.1' });
    expect(suggested.items[0]!.reasons.join(' ')).toContain('服务器');
    expect(suggested.items.map((s) => s.runbookId)).toHaveLength(2); // and the general one, after it

    let run = await ok<RunbookRun>(handler.s, 'POST', `/api/incidents/${incident.id}/runbook-runs`, { runbookId: runbook.id });
    expect(run).toMatchObject({ status: 'running', versionLabel: '1.1', currentIndex: 0, startedBy: expect.stringMatching(/^用户 /) });
    const step = (i: number, body: Record<string, unknown>) => handler.s.request('POST', `/api/incidents/${incident.id}/runbook-runs/${run.id}/steps/${i}`, body);

    // In order: the command cannot run before the manual step is done.
    const early = await step(1, { action: 'run' });
    expect(early.status).toBe(409);
    expect(early.json.details.fields[0].field).toBe('params.index');
    run = (await step(0, { action: 'done', note: '影响网上营业厅' })).json;
    expect(run.steps[0]).toMatchObject({ status: 'done', result: 'ok', note: '影响网上营业厅' });

    // The command: the real agent runs it; its output is followed live until it ends.
    run = (await step(1, { action: 'run' })).json;
    expect(run.steps[1]).toMatchObject({ status: 'running', ciName: expect.any(String), agentCommandId: expect.any(String) });
    const notYet = await step(2, { action: 'run' });
    expect(notYet.status).toBe(409);
    let followed = '';
    let offset = 0;
    const live = await waitFor(async () => {
      const res = await handler.s.request('GET', `/api/incidents/${incident.id}/runbook-runs/${run.id}/steps/1?offset=${offset}`);
      expect(res.status, res.body).toBe(200);
      const l = res.json as RunbookStepLive;
      followed += l.output;
      offset = l.nextOffset;
      return l.live ? null : l;
    }, `the command to end (agent log: ${agents.log()})`, 30_000, 200);
    expect(live).toMatchObject({ commandStatus: 'succeeded', exitCode: 0 });
    expect(followed).toContain('检查磁盘');
    expect(followed).toMatch(/Filesystem|文件系统/);
    run = (await step(1, { action: 'done', note: '使用率 40%，符合预期' })).json;
    expect(run.steps[1]).toMatchObject({ status: 'done', result: 'ok', exitCode: 0, output: expect.stringContaining('检查磁盘') });

    // The check: re-run against the loopback service, the result recorded.
    run = (await step(2, { action: 'run' })).json;
    expect(run.steps[2]).toMatchObject({ status: 'done', result: 'ok', checkName: '业务端口', checkResult: { status: 'up' }, output: expect.stringContaining('业务端口: UP') });
    run = (await step(3, { action: 'skip', note: '业务部门已在群里获知' })).json;
    expect(run).toMatchObject({ status: 'completed', currentIndex: null });

    // Who did each step is recorded, by name.
    const name = `用户 ${handler.user.username.replace('user', '')}`;
    const runs = await ok<{ items: RunbookRun[] }>(handler.s, 'GET', `/api/incidents/${incident.id}/runbook-runs`);
    expect(runs.items[0]!.steps.map((s) => [s.status, s.actor])).toEqual([['done', name], ['done', name], ['done', name], ['skipped', name]]);
    const activity = await ok<IncidentActivityList>(handler.s, 'GET', `/api/incidents/${incident.id}/activity`);
    const texts = activity.items.map((a) => a.text).join('\n');
    expect(texts).toContain('开始执行故障处理方案《服务器磁盘告警处理》1.1');
    expect(texts).toContain("执行第 2 步「检查磁盘空间」的命令：/bin/sh -c echo 检查磁盘; df -h /");
    expect(texts).toContain('重新运行检查“业务端口”：正常');
    expect(texts).toContain('各步均达到预期');
    const audit = await t.ctx.db.selectFrom('audit_log').select('action').where('target_id', '=', incident.id).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['incidents.runbook-run.start', 'incidents.runbook-step.run', 'incidents.runbook-step.done', 'incidents.runbook-step.check', 'incidents.runbook-run.complete']));
  }, 60_000);

  it('[L2-2.3.2] a major incident with tasks for three people', async () => {
    const [commander, techLead, comms] = [await person(), await person(), await person()];
    const named = (p: { user: TestUser }) => `用户 ${p.user.username.replace('user', '')}`;
    const incident = await ok<Incident>(commander.s, 'POST', '/api/incidents', {
      title: '核心数据库集群不可用',
      impact: 1,
      urgency: 1,
      ciIds: [hostCiId],
      major: true,
      majorRoles: { commander: commander.user.id, techLead: techLead.user.id, communications: comms.user.id },
    });
    expect(incident.major).toBe(true);
    // A step of a runbook is handed to the technical lead: completing their task completes the step.
    const general = await ok<Runbook>(admin, 'POST', '/api/incidents/runbooks', { name: '数据库切换', steps: [{ kind: 'manual', title: '切换到备用节点', expected: '业务恢复' }] });
    const submitted = await ok<Runbook>(admin, 'POST', `/api/incidents/runbooks/${general.id}/submit`, {});
    if (submitted.nextVersion?.status === 'in_review') {
      await approve(submitted);
    }
    const run = await ok<RunbookRun>(commander.s, 'POST', `/api/incidents/${incident.id}/runbook-runs`, { runbookId: general.id });

    // The assignees hear of their tasks through the default channels.
    await ok(admin, 'POST', '/api/notify/channels', { name: '运维邮箱', type: 'email', isDefault: true, config: { host: '127.0.0.1', port: 2525, security: 'none', from: 'yunwei@example.cn', to: ['ops@example.cn'] } });
    const tasks: IncidentTask[] = [];
    for (const [who, title, extra] of [
      [techLead, '切换到备用数据库节点', { runId: run.id, stepIndex: 0 }],
      [comms, '通知业务部门并每 30 分钟通报进展', {}],
      [commander, '组织复盘会议', { dueAt: Date.now() + 86_400_000 }],
    ] as const) {
      tasks.push(await ok<IncidentTask>(commander.s, 'POST', `/api/incidents/${incident.id}/tasks`, { title, assigneeId: who.user.id, ...extra }));
    }
    expect(tasks.map((x) => x.assignee)).toEqual([named(techLead), named(comms), named(commander)]);
    const notices = await t.ctx.db.selectFrom('notify_delivery').select('message').where('source_kind', '=', 'incident').where('source_id', '=', incident.id).execute();
    expect(notices.map((n) => (JSON.parse(n.message) as { 'zh-CN': { title: string } })['zh-CN'].title).sort()).toEqual(
      [`【故障任务】${incident.number} 切换到备用数据库节点`, `【故障任务】${incident.number} 组织复盘会议`, `【故障任务】${incident.number} 通知业务部门并每 30 分钟通报进展`].sort(),
    );
    const badAssignee = await commander.s.request('POST', `/api/incidents/${incident.id}/tasks`, { title: 'x', assigneeId: '0190aaaa-0000-7000-8000-000000000000' });
    expect(badAssignee.status).toBe(400);
    expect(badAssignee.json.details.fields[0].field).toBe('body.assigneeId');

    // 我的任务: each sees theirs; someone else cannot complete it.
    const mine = await ok<{ items: IncidentTask[] }>(comms.s, 'GET', '/api/incidents/tasks?mine=1');
    expect(mine.items.map((x) => x.title)).toEqual(['通知业务部门并每 30 分钟通报进展']);
    const viewer = inChinese(await t.signIn(await t.newUser({ roles: ['viewer'] })));
    expect((await viewer.request('POST', `/api/incidents/tasks/${tasks[1]!.id}/complete`, { note: '不是我的' })).status).toBe(403);

    for (const [who, task, note] of [
      [techLead, tasks[0]!, '已切换，业务恢复'],
      [comms, tasks[1]!, '已发出第一次通报'],
      [commander, tasks[2]!, '会议定于明天上午'],
    ] as const) {
      const done = await ok<IncidentTask>(who.s, 'POST', `/api/incidents/tasks/${task.id}/complete`, { note });
      expect(done).toMatchObject({ status: 'done', doneBy: named(who), resultNote: note });
    }
    const again = await techLead.s.request('POST', `/api/incidents/tasks/${tasks[0]!.id}/complete`, {});
    expect(again.status).toBe(409);

    const list = await ok<{ items: IncidentTask[] }>(commander.s, 'GET', `/api/incidents/${incident.id}/tasks`);
    expect(list.items.map((x) => [x.title, x.assignee, x.status, x.doneBy])).toEqual([
      ['切换到备用数据库节点', named(techLead), 'done', named(techLead)],
      ['通知业务部门并每 30 分钟通报进展', named(comms), 'done', named(comms)],
      ['组织复盘会议', named(commander), 'done', named(commander)],
    ]);
    expect(list.items[0]!.step).toMatchObject({ runId: run.id, index: 0, title: '切换到备用节点' });
    const runs = await ok<{ items: RunbookRun[] }>(commander.s, 'GET', `/api/incidents/${incident.id}/runbook-runs`);
    expect(runs.items[0]).toMatchObject({ status: 'completed', steps: [{ status: 'done', actor: named(techLead), taskAssignee: named(techLead), taskStatus: 'done', note: '已切换，业务恢复' }] });

    const texts = (await ok<IncidentActivityList>(commander.s, 'GET', `/api/incidents/${incident.id}/activity`)).items.map((a) => a.text).join('\n');
    expect(texts).toContain(`分派任务「切换到备用数据库节点」给 ${named(techLead)}（处理方案第 1 步「切换到备用节点」）`);
    expect(texts).toContain(`分派任务「通知业务部门并每 30 分钟通报进展」给 ${named(comms)}`);
    expect(texts).toContain(`${named(techLead)} 完成了任务「切换到备用数据库节点」：已切换，业务恢复`);
    expect(texts).toContain(`${named(comms)} 完成了任务「通知业务部门并每 30 分钟通报进展」：已发出第一次通报`);
    expect(texts).toContain(`${named(commander)} 完成了任务「组织复盘会议」：会议定于明天上午`);
  });
});
