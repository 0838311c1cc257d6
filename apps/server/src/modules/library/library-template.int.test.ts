import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERTING_PERMISSIONS } from '@yunwei/contracts/alerting';
import { LIBRARY_PERMISSIONS as P, type LibraryDocumentDetail, type LibraryVersionDetail } from '@yunwei/contracts/library';
import { type LibraryProviderList, type LibraryTemplate, type LibraryTemplateList } from '@yunwei/contracts/library-templates';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { scopedWorld, type ScopedWorld } from '../../../test/scoped-world.js';
import type { Actor } from '../../platform/actor.js';
import { documentProvidersOf } from '../../platform/documents/providers.js';
import { AccessService } from '../access/access.service.js';
import { bodyText } from './library-body.js';
import { generateFromTemplate } from './library-template-entry.js';
import { doc, ok, para } from './library.testing.js';

const DAY = 86_400_000;
const MIN = 60_000;

/*
 * Templates whose placeholders are filled from the data providers: refused on save when they name an unknown
 * provider or field; generated as the requesting person (permissions, data scope) over a seeded period, the
 * numbers frozen into the stored version; a failing provider leaves the missing section, named, with the reason.
 */
describe.skipIf(!databaseAvailable())('document templates with data placeholders', () => {
  let t: TestApp;
  let admin: TestSession;
  let w: ScopedWorld;
  const to = Math.floor(Date.now() / DAY) * DAY;
  const from = to - 30 * DAY;
  let seq = 0;

  /** An alert on `ci` that fired in the period, acknowledged after `ack` minutes and resolved after `resolve`. */
  const alert = (ci: string, severity: string, started: number, ack: number | null, resolve: number | null) => {
    seq += 1;
    const n = String(seq).padStart(12, '0');
    return {
      id: `00000000-0000-7000-8000-${n}`,
      fingerprint: `tpl-${n}`,
      rule_id: 'rule-tpl',
      rule_name: 'CPU 过高',
      rule_name_en: null,
      severity,
      state: resolve === null ? 'firing' : 'resolved',
      labels: '{}',
      annotations: '{}',
      value: null,
      threshold: null,
      ci_id: ci,
      started_at: started,
      firing_at: started,
      acked_at: ack === null ? null : started + ack * MIN,
      acked_by: null,
      resolved_at: resolve === null ? null : started + resolve * MIN,
      updated_at: started,
      notify_seq: 0,
    };
  };

  /** Sessions reading Chinese (the generated text is in the requester's language). */
  const zh = (s: TestSession): TestSession => ({ ...s, request: (method, url, body, headers) => s.request(method, url, body, { 'accept-language': 'zh-CN', ...headers }) });
  const signIn = async (user: Parameters<TestApp['signIn']>[0]) => zh(await t.signIn(user));

  beforeAll(async () => {
    t = await createTestApp();
    admin = await signIn(t.admin);
    w = await scopedWorld(t, admin, 'tpl');
    // Three alerts on the host in 甲一 (MTTA 20 min), one on the host in 乙.
    await t.ctx.db
      .insertInto('alert')
      .values([alert(w.ciA, 'critical', from + DAY, 10, 40), alert(w.ciA, 'warning', from + 2 * DAY, 20, 100), alert(w.ciA, 'critical', from + 3 * DAY, 30, null), alert(w.ciB, 'warning', from + 4 * DAY, 5, 5)])
      .execute();
    // A provider that always fails (registered in this app only).
    documentProvidersOf(t.ctx).register({
      name: 'test.broken',
      title: { zh: '故障演示', en: 'Broken demo' },
      permission: P.read,
      fields: { value: { title: { zh: '值', en: 'Value' }, format: 'number' } },
      value: () => 1,
      produce: () => Promise.reject(new Error('磁盘已满')),
    });
  });
  afterAll(() => t?.close());

  const templateBody = (...lines: string[]) => doc(...lines.map((l) => para(l)));
  const create = (s: TestSession, body: object) => s.request('POST', '/api/library/templates', { typeCode: 'operation_status_report', name: `模板 ${++seq}`, ...body });
  const firstField = (res: { json: any }) => (res.json.details.fields as { field: string; message: string }[])[0]!;

  it('lists the providers with their fields, and refuses on save a placeholder naming an unknown provider or field (400 naming body.body)', async () => {
    const providers = await ok<LibraryProviderList>(admin.request('GET', '/api/library/providers'));
    expect(providers.find((p) => p.name === 'alerts.summary')).toMatchObject({ title: '告警统计', readable: true, fields: expect.arrayContaining([{ key: 'count', title: '告警数', format: 'number' }, { key: 'mttaMinutes', title: '平均确认时长（MTTA）', format: 'minutes' }]) });
    expect(providers.map((p) => p.name)).toEqual(expect.arrayContaining(['monitoring.availability', 'checks.downtime', 'inspections.findings', 'capacity.forecast']));

    const unknownProvider = await create(admin, { body: templateBody('{{alerts.sumary}}') });
    expect(unknownProvider.status).toBe(400);
    expect(firstField(unknownProvider)).toEqual({ field: 'body.body', message: '未知的数据提供者“alerts.sumary”' });
    const unknownField = await create(admin, { body: templateBody('共 {{alerts.summary.cnt}} 条') });
    expect(unknownField.status).toBe(400);
    expect(firstField(unknownField).field).toBe('body.body');
    expect(firstField(unknownField).message).toContain('“alerts.summary”没有字段“cnt”');
    const english = await admin.request('POST', '/api/library/templates', { typeCode: 'operation_status_report', name: 'x', body: templateBody('{{alerts.summary.cnt}}') }, { 'accept-language': 'en' });
    expect(firstField(english).message).toContain('"alerts.summary" has no field "cnt"');
    expect((await create(admin, { body: templateBody('x'), defaultScope: 'everything' })).json).toMatchObject({ details: { field: 'body.defaultScope' } });
    // The same check on a change.
    const saved = await ok<LibraryTemplate>(create(admin, { body: templateBody('告警 {{alerts.summary.count}} 条') }));
    const patched = await admin.request('PATCH', `/api/library/templates/${saved.id}`, { body: templateBody('{{nope.nothing}}') });
    expect(patched.status).toBe(400);
    expect(firstField(patched)).toEqual({ field: 'body.body', message: '未知的数据提供者“nope.nothing”' });
  });

  it('keeps templates per type: built-in ones seeded (changeable, not deletable), the writers’ own added, changed, deleted, audited', async () => {
    const list = await ok<LibraryTemplateList>(admin.request('GET', '/api/library/templates?type=operation_status_report'));
    const builtIn = list.find((x) => x.builtIn)!;
    expect(builtIn).toMatchObject({ name: '系统运行状况月报', defaultPeriod: 'month', type: { code: 'operation_status_report', name: '系统运行状况报告' } });
    expect(builtIn.placeholders).toEqual(expect.arrayContaining(['alerts.summary', 'alerts.summary.count', 'monitoring.availability']));
    expect((await admin.request('DELETE', `/api/library/templates/${builtIn.id}`)).json).toMatchObject({ code: 'YW_LIBRARY_TEMPLATE_BUILTIN' });
    expect((await ok<LibraryTemplateList>(admin.request('GET', '/api/library/templates?type=monitoring_policy'))).map((x) => x.name)).toContain('日常运行状态监控制度');

    // An operator (who writes documents) keeps templates; a viewer does not.
    const operator = await signIn(await t.newUser({ roles: ['operator'] }));
    const mine = await ok<LibraryTemplate>(create(operator, { name: '周报', defaultPeriod: 'week', body: templateBody('本周告警 {{alerts.summary.count}} 条。') }));
    expect(mine).toMatchObject({ builtIn: false, defaultPeriod: 'week', placeholders: ['alerts.summary.count'], createdBy: { id: expect.any(String) } });
    expect((await create(operator, { name: '周报', body: templateBody('x') })).json).toMatchObject({ details: { field: 'body.name' } });
    const viewer = await signIn(await t.newUser({ roles: ['viewer'] }));
    expect((await create(viewer, { body: templateBody('x') })).status).toBe(403);
    expect((await ok<LibraryTemplate>(operator.request('PATCH', `/api/library/templates/${mine.id}`, { name: '告警周报' }))).name).toBe('告警周报');
    await ok(operator.request('DELETE', `/api/library/templates/${mine.id}`));
    expect((await operator.request('GET', `/api/library/templates/${mine.id}`)).status).toBe(404);
    const audit = await t.ctx.db.selectFrom('audit_log').select('action').where('target_id', '=', mine.id).execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['library.template.create', 'library.template.delete', 'library.template.update']);
  });

  it('[L2-2.1.2] generates the 系统运行状况报告 from its built-in template over a seeded month: the numbers come from the providers and stay frozen in the version when the data changes', async () => {
    const builtIn = (await ok<LibraryTemplateList>(admin.request('GET', '/api/library/templates?type=operation_status_report'))).find((x) => x.builtIn)!;
    const generated = await ok<LibraryDocumentDetail>(admin.request('POST', `/api/library/templates/${builtIn.id}/generate`, { title: '十一月系统运行状况报告', from, to }));
    expect(generated).toMatchObject({ title: '十一月系统运行状况报告', type: { code: 'operation_status_report' }, status: 'draft', latestVersion: { label: 'v1.0', status: 'draft' } });
    const text = bodyText(generated.body);
    // 4 alerts (3 on 甲一's host, 1 on 乙's), 2 critical; MTTA mean(10, 20, 30, 5) = 16.3 minutes.
    expect(text).toContain('报告期内共发生告警 4 条，其中严重告警 2 条；平均确认时长 16.3 分钟');
    expect(text).not.toContain('{{');
    // The whole alerts section: its table by severity.
    expect(JSON.stringify(generated.body)).toContain('"type":"table"');
    expect(generated.versions[0]!.changeNote).toContain('由模板“系统运行状况月报”生成');

    // The data changes: a fifth alert in the period. The stored version still says 4; a new generation says 5.
    await t.ctx.db.insertInto('alert').values([alert(w.ciA, 'critical', from + 5 * DAY, 1, 2)]).execute();
    const again = await ok<LibraryVersionDetail>(admin.request('GET', `/api/library/documents/${generated.id}/versions/${generated.latestVersion.id}`));
    expect(bodyText(again.body)).toContain('共发生告警 4 条');
    const fresh = await ok<LibraryDocumentDetail>(admin.request('POST', `/api/library/templates/${builtIn.id}/generate`, { title: '重新生成', from, to }));
    expect(bodyText(fresh.body)).toContain('共发生告警 5 条，其中严重告警 3 条');
    const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'after']).where('target_id', '=', generated.id).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['library.document.create', 'library.template.generate']));
  });

  it('a provider that fails leaves its section saying which part is missing and why, never a blank', async () => {
    const tpl = await ok<LibraryTemplate>(create(admin, { body: templateBody('值为 {{test.broken.value}}。', '{{test.broken}}', '告警 {{alerts.summary.count}} 条') }));
    const generated = await ok<LibraryDocumentDetail>(admin.request('POST', `/api/library/templates/${tpl.id}/generate`, { title: '故障演示', from, to }));
    const text = bodyText(generated.body);
    expect(text).toContain('值为 【缺失：故障演示——数据生成失败（磁盘已满）。】。');
    expect(text).toContain('本节（故障演示）缺失：数据生成失败（磁盘已满）。');
    expect(text).toMatch(/告警 \d+ 条/);
    const audit = await t.ctx.db.selectFrom('audit_log').select('after').where('target_id', '=', generated.id).where('action', '=', 'library.template.generate').executeTakeFirstOrThrow();
    expect(JSON.stringify(audit.after)).toContain('test.broken');
  });

  it('runs the providers as the requesting person: without the data’s permission the text says it is missing, and the data scope of org units holds (numbers and placement)', async () => {
    const tpl = await ok<LibraryTemplate>(create(admin, { body: templateBody('告警 {{alerts.summary.count}} 条。', '{{alerts.summary}}') }));
    // A writer who may not read alerts: no number, the missing text with the permission named.
    const writer = await signIn(await t.newUser({ permissions: [P.read, P.write] }));
    const blind = await ok<LibraryDocumentDetail>(writer.request('POST', `/api/library/templates/${tpl.id}/generate`, { title: '无告警权限', from, to, orgUnitId: null }));
    const blindText = bodyText(blind.body);
    expect(blindText).toContain(`告警 【缺失：告警统计——您没有读取其数据的权限（${ALERTING_PERMISSIONS.alertRead}）。】 条。`);
    expect(blindText).toContain('本节（告警统计）缺失');

    // Someone whose grants reach 甲 only: the alerts of 乙's host are not counted (3 of 甲一 + the fifth = 4, not 5 or 6).
    const scoped = zh(await w.scopedToA([P.read, P.write, ALERTING_PERMISSIONS.alertRead]));
    const inA = await ok<LibraryDocumentDetail>(scoped.request('POST', `/api/library/templates/${tpl.id}/generate`, { title: '甲的报告', from, to, orgUnitId: w.unitA }));
    expect(bodyText(inA.body)).toContain('告警 4 条。');
    expect(inA.orgUnit).toMatchObject({ id: w.unitA });
    // …and the document cannot be placed in 乙.
    const outside = await scoped.request('POST', `/api/library/templates/${tpl.id}/generate`, { title: '乙的报告', from, to, orgUnitId: w.unitB });
    expect(outside.status).toBe(403);
    // The same through the function other code calls (no HTTP), as the person: the scheduled reports' way.
    const user = await t.newUser({ permissions: [P.read, P.write, ALERTING_PERMISSIONS.alertRead], orgUnitIds: [w.unitA] });
    const actor: Actor = { kind: 'user', userId: user.id, username: user.username, ip: '127.0.0.1', locale: 'zh-CN', ...(await new AccessService(t.ctx).resolveGrants(user.id)) };
    const viaCode = await generateFromTemplate(t.ctx, actor, tpl.id, { title: '定时生成', from, to, orgUnitId: w.unitA });
    expect(bodyText(viaCode.body)).toContain('告警 4 条。');
  });

  it('checks the period and scope (400 naming the body field) and generates into the next version of a published document', async () => {
    const tpl = await ok<LibraryTemplate>(create(admin, { body: templateBody('告警 {{alerts.summary.count}} 条。') }));
    const bad = await admin.request('POST', `/api/library/templates/${tpl.id}/generate`, { title: 'x', from: to, to: from });
    expect(bad.status).toBe(400);
    expect(bad.json.details.field).toBe('body.to');
    expect((await admin.request('POST', `/api/library/templates/${tpl.id}/generate`, { title: 'x', from })).json.details.field).toBe('body.to');
    expect((await admin.request('POST', `/api/library/templates/${tpl.id}/generate`, { title: 'x', scope: 'nonsense' })).json.details.field).toBe('body.scope');
    expect((await admin.request('POST', `/api/library/templates/${tpl.id}/generate`, { from, to })).json.details.field).toBe('body.title');
    // A preset period: the previous month, in the server's time zone.
    expect((await ok<LibraryDocumentDetail>(admin.request('POST', `/api/library/templates/${tpl.id}/generate`, { title: '上月', period: 'month' }))).versions[0]!.changeNote).toMatch(/由模板“.+”生成：\d{4}-\d{2}-01 至/);

    // A published report gets v1.1 generated from the template (the type without a flow: approved on submit).
    await ok(admin.request('PATCH', '/api/library/types/operation_status_report', { flowCode: null }));
    const first = await ok<LibraryDocumentDetail>(admin.request('POST', `/api/library/templates/${tpl.id}/generate`, { title: '月报', from, to }));
    await ok(admin.request('POST', `/api/library/documents/${first.id}/submit`, {}));
    await ok(admin.request('POST', `/api/library/documents/${first.id}/publish`, {}));
    await t.ctx.db.insertInto('alert').values([alert(w.ciA, 'warning', from + 6 * DAY, 1, 2)]).execute();
    const next = await ok<LibraryDocumentDetail>(admin.request('POST', `/api/library/templates/${tpl.id}/generate`, { documentId: first.id, from, to }));
    expect(next).toMatchObject({ id: first.id, title: '月报', latestVersion: { label: 'v1.1', status: 'draft' }, publishedVersion: { label: 'v1.0' } });
    const [v11, v10] = next.versions;
    const older = await ok<LibraryVersionDetail>(admin.request('GET', `/api/library/documents/${first.id}/versions/${v10!.id}`));
    expect(bodyText(next.body)).not.toBe(bodyText(older.body));
    expect(v11!.label).toBe('v1.1');
    // Another type's document is refused.
    const other = await ok<LibraryDocumentDetail>(admin.request('POST', '/api/library/documents', { typeCode: 'emergency_plan', title: '预案' }));
    expect((await admin.request('POST', `/api/library/templates/${tpl.id}/generate`, { documentId: other.id, from, to })).json.details.field).toBe('body.documentId');
  });
});
