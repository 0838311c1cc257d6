import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_IN_DOCUMENT_TYPES, LIBRARY_PERMISSIONS as P, type LibraryDiff, type LibraryDocumentList, type LibraryType, type LibraryVersionDetail } from '@yunwei/contracts/library';
import type { ApprovalRequestDetail } from '@yunwei/contracts/approvals';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { waitFor } from '../../../test/peers.js';
import { systemActor } from '../../platform/actor.js';
import { startReceiver, type TestReceiver } from '../../platform/notify/notify.testing.js';
import { AccessService } from '../access/access.service.js';
import { UserService } from '../identity/user.service.js';
import { notifyOf } from '../notify/runtime.js';
import { libraryOf } from './library.runtime.js';
import { doc, heading, ok, orgUnit, para, person, planBody, type Signed } from './library.testing.js';

const DAY = 86_400_000;

describe.skipIf(!databaseAvailable())('document library', () => {
  let t: TestApp;
  let admin: TestSession;
  let unitA: string;
  let unitB: string;
  let writer: Signed;
  let reviewer: Signed;
  let flowCode: string;
  const year = new Date().getUTCFullYear();

  beforeAll(async () => {
    t = await createTestApp({ YUNWEI_PUBLIC_URL: 'https://yunwei.example.cn' });
    admin = await t.signIn(t.admin);
    unitA = await orgUnit(admin, '运维一部');
    unitB = await orgUnit(admin, '运维二部');
    writer = await person(t, { roles: ['operator'], orgUnitIds: [unitA], orgUnitId: unitA });
    reviewer = await person(t, { roles: ['operator'] });
    flowCode = 'test.library-review';
    await ok(admin.request('POST', '/api/approvals/flows', { code: flowCode, nameZh: '文档评审', nameEn: 'Document review', steps: [{ name: '部门评审', mode: 'any', approvers: [{ kind: 'user', userId: reviewer.user.id }] }] }));
    await ok(admin.request('PATCH', '/api/library/types/emergency_plan', { flowCode }));
  });
  afterAll(() => t?.close());

  const create = (s: TestSession, body: Record<string, unknown>) => s.request('POST', '/api/library/documents', body);
  const detail = (s: TestSession, id: string) => ok(s.request('GET', `/api/library/documents/${id}`));
  /** The reviewer's pending task of a request. */
  async function reviewerTask(requestId: string): Promise<string> {
    const request = await ok<ApprovalRequestDetail>(reviewer.session.request('GET', `/api/approvals/requests/${requestId}`));
    const task = request.tasks.find((x) => x.assignee.id === reviewer.user.id && x.status === 'pending');
    expect(task, 'a pending task of the reviewer').toBeDefined();
    return task!.id;
  }

  it('seeds the 15 built-in types (with their flow and review period) and lets administrators add, change and delete their own', async () => {
    const types = await ok<LibraryType[]>(admin.request('GET', '/api/library/types'));
    const builtIn = types.filter((x) => x.builtIn);
    expect(builtIn.map((x) => x.nameZh)).toEqual([
      '监控制度',
      '系统运行状况报告',
      '系统性能评估报告',
      '故障处理规程',
      '故障分析报告',
      '维护计划',
      '维护管理方案',
      '数据备份恢复方案',
      '安全防护方案',
      '应急预案',
      '应急响应报告',
      '业务操作规范',
      '业务操作手册',
      '数据分级分类管理规范',
      '培训方案',
    ]);
    expect(builtIn).toHaveLength(BUILT_IN_DOCUMENT_TYPES.length);
    expect(builtIn.find((x) => x.code === 'monitoring_policy')).toMatchObject({ flowCode: 'document.default', flowName: 'Document approval', reviewMonths: 12, numberPrefix: 'JKZD' });

    const added = await ok<LibraryType>(admin.request('POST', '/api/library/types', { code: 'change_plan', nameZh: '变更方案', nameEn: 'Change plan', numberPrefix: 'BGFA', flowCode: null, reviewMonths: 6 }));
    expect(added).toMatchObject({ code: 'change_plan', builtIn: false, flowCode: null, documentCount: 0 });
    expect((await admin.request('POST', '/api/library/types', { code: 'change_plan2', nameZh: '变更', nameEn: 'Change', numberPrefix: 'BGFA', reviewMonths: 6 })).json).toMatchObject({ code: 'YW_LIBRARY_TYPE_PREFIX_TAKEN', details: { field: 'body.numberPrefix' } });
    expect((await admin.request('POST', '/api/library/types', { code: 'x_plan', nameZh: '变更', nameEn: 'Change', numberPrefix: 'XFA', reviewMonths: 6, flowCode: 'no.such.flow' })).json).toMatchObject({ code: 'YW_APPROVAL_FLOW_NOT_FOUND', details: { field: 'body.flowCode' } });
    const bad = await admin.request('POST', '/api/library/types', { code: 'Bad Code', nameZh: '变更', nameEn: 'Change', numberPrefix: 'bg', reviewMonths: 999 });
    expect(bad.status).toBe(400);
    expect((bad.json.details.fields as { field: string }[]).map((f) => f.field).sort()).toEqual(['body.code', 'body.numberPrefix', 'body.reviewMonths']);

    const changed = await ok<LibraryType>(admin.request('PATCH', '/api/library/types/training_plan', { reviewMonths: 24, flowCode: null }));
    expect(changed).toMatchObject({ builtIn: true, reviewMonths: 24, flowCode: null });
    const refused = await admin.request('DELETE', '/api/library/types/training_plan');
    expect(refused.status).toBe(409);
    expect(refused.json.code).toBe('YW_LIBRARY_TYPE_BUILTIN');
    // Operators read the types but do not manage them.
    expect((await writer.session.request('GET', '/api/library/types')).status).toBe(200);
    expect((await writer.session.request('POST', '/api/library/types', { code: 'mine', nameZh: '我的', nameEn: 'Mine', numberPrefix: 'MINE', reviewMonths: 6 })).status).toBe(403);

    // A used type cannot go; an unused one can.
    const used = await ok(create(writer.session, { typeCode: 'change_plan', title: '核心交换机割接方案' }));
    expect(used.number).toBe(`BGFA-${year}-001`);
    expect((await admin.request('DELETE', '/api/library/types/change_plan')).json.code).toBe('YW_LIBRARY_TYPE_IN_USE');
    await ok(admin.request('POST', '/api/library/types', { code: 'temp_type', nameZh: '临时', nameEn: 'Temporary', numberPrefix: 'LS', reviewMonths: 1 }));
    await ok(admin.request('DELETE', '/api/library/types/temp_type'));
    expect((await admin.request('GET', '/api/library/types')).json.some((x: LibraryType) => x.code === 'temp_type')).toBe(false);
  });

  it('runs the life cycle through the approvals API: reject and withdraw give back an editable draft, approve locks it, publish supersedes, v1.1 and v2.0 follow', async () => {
    const created = await ok(create(writer.session, { typeCode: 'emergency_plan', title: '数据库主库宕机应急预案', body: planBody(), changeNote: '初稿' }));
    expect(created).toMatchObject({ number: `YJYA-${year}-001`, status: 'draft', orgUnit: { id: unitA, name: '运维一部' }, latestVersion: { label: 'v1.0', status: 'draft' }, publishedVersion: null, actions: { edit: true, submit: true, publish: false } });
    expect(created.owner.name).toMatch(/^用户 /);
    const id = created.id;

    // Submitted: under review, locked.
    const submitted = await ok(writer.session.request('POST', `/api/library/documents/${id}/submit`, { comment: '请审核' }));
    expect(submitted).toMatchObject({ status: 'in_review', latestVersion: { status: 'in_review' }, actions: { edit: false, submit: false, withdraw: true } });
    // Only the submitter may withdraw it (the approval engine's rule): the reviewer is not offered it.
    expect((await detail(reviewer.session, id)).actions.withdraw).toBe(false);
    const first = submitted.approvalRequestId!;
    expect(first).toBeTruthy();
    const request = await ok<ApprovalRequestDetail>(reviewer.session.request('GET', `/api/approvals/requests/${first}`));
    expect(request.title).toBe(`应急预案《数据库主库宕机应急预案》v1.0（YJYA-${year}-001）`);
    const locked = await writer.session.request('PATCH', `/api/library/documents/${id}`, { title: '改标题' });
    expect(locked.status).toBe(409);
    expect(locked.json).toMatchObject({ code: 'YW_LIBRARY_VERSION_LOCKED', details: { state: 'in_review' } });
    expect(locked.json.message).toContain('it is in review');
    expect((await writer.session.request('POST', `/api/library/documents/${id}/submit`, {})).json).toMatchObject({ code: 'YW_LIBRARY_VERSION_LOCKED', details: { state: 'in_review' } });

    // 退回 to the submitter: a draft again, editable.
    await ok(reviewer.session.request('POST', `/api/approvals/tasks/${await reviewerTask(first)}/reject`, { to: 'submitter', comment: '请补充联系人' }));
    const rejected = await detail(writer.session, id);
    expect(rejected).toMatchObject({ status: 'draft', approvalRequestId: null, actions: { edit: true, withdraw: false } });
    expect(rejected.versions[0]).toMatchObject({ label: 'v1.0', status: 'draft', lastReviewOutcome: 'rejected', approvalRequestId: first });
    const edited = await ok(writer.session.request('PATCH', `/api/library/documents/${id}`, { body: planBody('联系人：张三。'), baseUpdatedAt: rejected.versions[0]!.updatedAt }));
    expect(edited.versions[0]!.updatedBy?.id).toBe(writer.user.id);
    // An editor that started from an older draft does not overwrite the newer one.
    expect((await writer.session.request('PATCH', `/api/library/documents/${id}`, { title: '旧稿', baseUpdatedAt: rejected.versions[0]!.updatedAt })).json).toMatchObject({ code: 'YW_LIBRARY_DRAFT_CHANGED', details: { field: 'body.baseUpdatedAt' } });

    // Withdrawn by the submitter through the approvals API: a draft again.
    const second = (await ok(writer.session.request('POST', `/api/library/documents/${id}/submit`, {}))).approvalRequestId!;
    await ok(writer.session.request('POST', `/api/approvals/requests/${second}/withdraw`, { comment: '再改一处' }));
    expect((await detail(writer.session, id)).versions[0]).toMatchObject({ status: 'draft', lastReviewOutcome: 'withdrawn' });

    // Approved: locked until published; only a publisher publishes.
    const third = (await ok(writer.session.request('POST', `/api/library/documents/${id}/submit`, {}))).approvalRequestId!;
    await ok(reviewer.session.request('POST', `/api/approvals/tasks/${await reviewerTask(third)}/approve`, { comment: '同意' }));
    const approved = await detail(writer.session, id);
    expect(approved).toMatchObject({ status: 'approved', latestVersion: { status: 'approved' }, actions: { edit: false, publish: false } });
    expect((await writer.session.request('PATCH', `/api/library/documents/${id}`, { title: 'x' })).json).toMatchObject({ code: 'YW_LIBRARY_VERSION_LOCKED', details: { state: 'approved' } });
    expect((await writer.session.request('POST', `/api/library/documents/${id}/publish`, {})).status).toBe(403);
    expect((await writer.session.request('POST', `/api/library/documents/${id}/versions`, {})).json).toMatchObject({ code: 'YW_LIBRARY_ILLEGAL_TRANSITION', details: { state: 'approved' } });
    const before = Date.now();
    const published = await ok(admin.request('POST', `/api/library/documents/${id}/publish`, { comment: '发布施行' }));
    expect(published).toMatchObject({ status: 'published', publishedVersion: { label: 'v1.0', status: 'published' }, reviewOverdue: false });
    expect(published.reviewDueAt! - before).toBeGreaterThan(360 * DAY);
    expect(published.reviewDueAt! - before).toBeLessThan(370 * DAY);
    expect((await admin.request('POST', `/api/library/documents/${id}/publish`, {})).json).toMatchObject({ code: 'YW_LIBRARY_ILLEGAL_TRANSITION', details: { state: 'published' } });
    expect((await writer.session.request('PATCH', `/api/library/documents/${id}`, { title: 'x' })).json).toMatchObject({ code: 'YW_LIBRARY_VERSION_LOCKED', details: { state: 'published' } });

    // A new version: v1.1, a draft copy of v1.0; publishing it supersedes v1.0.
    const v11 = await ok(writer.session.request('POST', `/api/library/documents/${id}/versions`, { changeNote: '增加恢复步骤' }));
    expect(v11).toMatchObject({ status: 'draft', latestVersion: { label: 'v1.1', status: 'draft' }, publishedVersion: { label: 'v1.0' } });
    expect(v11.body).toEqual(planBody('联系人：张三。'));
    await ok(writer.session.request('PATCH', `/api/library/documents/${id}`, { body: doc(heading(1, '一、总则'), para('本预案适用于核心业务系统发生数据库主库宕机时的应急响应处置流程。联系人：李四。'), para('恢复后复盘。')) }));
    const fourth = (await ok(writer.session.request('POST', `/api/library/documents/${id}/submit`, {}))).approvalRequestId!;
    await ok(reviewer.session.request('POST', `/api/approvals/tasks/${await reviewerTask(fourth)}/approve`, {}));
    const republished = await ok(admin.request('POST', `/api/library/documents/${id}/publish`, {}));
    expect(republished.versions.map((v) => [v.label, v.status])).toEqual([
      ['v1.1', 'published'],
      ['v1.0', 'superseded'],
    ]);

    // Side by side, block by block.
    const [v11Id, v10Id] = republished.versions.map((v) => v.id);
    const diff = await ok<LibraryDiff>(writer.session.request('GET', `/api/library/documents/${id}/diff?left=${v10Id}&right=${v11Id}`));
    expect(diff.left.label).toBe('v1.0');
    expect(diff.rows[0]).toEqual({ kind: 'same', left: '# 一、总则', right: '# 一、总则' });
    expect(diff.rows[1]).toEqual({ kind: 'changed', left: '本预案适用于核心业务系统发生数据库主库宕机时的应急响应处置流程。联系人：张三。', right: '本预案适用于核心业务系统发生数据库主库宕机时的应急响应处置流程。联系人：李四。' });
    // A new paragraph unlike any old block is added beside nothing, not paired with a removed list item.
    expect(diff.rows.filter((r) => r.kind === 'removed').map((r) => r.left)).toEqual(['• 值班员确认告警', '• 通知数据库管理员', '| 角色 | 职责 |', '| 值班员 | 首次响应 |']);
    expect(diff.rows.filter((r) => r.kind === 'added').map((r) => r.right)).toEqual(['恢复后复盘。']);
    expect(diff.stats).toEqual({ same: 1, changed: 1, removed: 4, added: 1 });
    const version = await ok<LibraryVersionDetail>(writer.session.request('GET', `/api/library/documents/${id}/versions/${v10Id}`));
    expect(version).toMatchObject({ label: 'v1.0', status: 'superseded', number: `YJYA-${year}-001`, body: planBody('联系人：张三。') });

    const major = await ok(writer.session.request('POST', `/api/library/documents/${id}/versions`, { major: true }));
    expect(major.latestVersion.label).toBe('v2.0');

    // Who changed what.
    const history = (await detail(writer.session, id)).history;
    expect(history.map((e) => `${e.action}:${e.versionLabel ?? ''}`).reverse()).toEqual([
      'create:v1.0',
      'submit:v1.0',
      'rejected:v1.0',
      'update:v1.0',
      'submit:v1.0',
      'withdrawn:v1.0',
      'submit:v1.0',
      'approved:v1.0',
      'publish:v1.0',
      'new_version:v1.1',
      'update:v1.1',
      'submit:v1.1',
      'approved:v1.1',
      'publish:v1.1',
      'new_version:v2.0',
    ]);
    expect(history.find((e) => e.action === 'rejected')?.actor?.id).toBe(reviewer.user.id);
    expect(history.find((e) => e.action === 'update')).toMatchObject({ detail: 'body', actor: { id: writer.user.id } });
    const audit = await t.ctx.db.selectFrom('audit_log').select('action').where('target_type', '=', 'library_document').where('target_id', '=', id).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['library.document.create', 'library.document.update', 'library.document.submit', 'library.version.review-outcome', 'library.document.publish', 'library.document.new-version']));

    // Retired: readable, frozen.
    const retired = await ok(admin.request('POST', `/api/library/documents/${id}/retire`, { reason: '系统下线' }));
    expect(retired).toMatchObject({ status: 'retired', actions: { edit: false, newVersion: false, link: false } });
    expect((await writer.session.request('PATCH', `/api/library/documents/${id}`, { title: 'x' })).json).toMatchObject({ code: 'YW_LIBRARY_RETIRED', details: { state: 'retired' } });
  });

  it('approves at once when the type has no flow, and allocates numbers per type and year', async () => {
    await ok(admin.request('PATCH', '/api/library/types/training_plan', { flowCode: null, reviewMonths: 24 }));
    const a = await ok(create(writer.session, { typeCode: 'training_plan', title: '新员工培训方案' }));
    const b = await ok(create(writer.session, { typeCode: 'training_plan', title: '值班员培训方案' }));
    expect([a.number, b.number]).toEqual([`PXFA-${year}-001`, `PXFA-${year}-002`]);
    // At once (PostgreSQL runs these in parallel transactions): every number once, none skipped.
    const burst = await Promise.all(Array.from({ length: 8 }, (_, i) => ok(create(writer.session, { typeCode: 'operation_manual', title: `操作手册 ${i}` }))));
    expect(burst.map((x) => x.number).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `CZSC-${year}-00${i + 1}`));
    const submitted = await ok(writer.session.request('POST', `/api/library/documents/${a.id}/submit`, {}));
    expect(submitted).toMatchObject({ status: 'approved', approvalRequestId: null, versions: [{ status: 'approved', approvalRequestId: null, lastReviewOutcome: 'approved' }] });
    expect((await ok(admin.request('POST', `/api/library/documents/${a.id}/publish`, {}))).status).toBe('published');
    // 24 months (changed in the first test).
    const row = await t.ctx.db.selectFrom('document').select(['review_due_at', 'updated_at']).where('id', '=', a.id).executeTakeFirstOrThrow();
    expect(Number(row.review_due_at) - Number(row.updated_at)).toBeGreaterThan(720 * DAY);
  });

  it('finds documents by a Chinese substring of their text, by type, status and unit, with names instead of ids', async () => {
    const target = await ok(create(writer.session, { typeCode: 'fault_procedure', title: 'Nginx 故障处理规程', body: doc(para('当反向代理返回 502 时，先检查上游连接池是否耗尽，再重启服务。'), para('100% 的请求失败时升级。')) }));
    const list = (q: string, extra = '') => ok<LibraryDocumentList>(writer.session.request('GET', `/api/library/documents?q=${encodeURIComponent(q)}${extra}`));
    expect((await list('上游连接池')).items.map((x) => x.id)).toEqual([target.id]);
    expect((await list('NGINX')).items.map((x) => x.id)).toEqual([target.id]);
    expect((await list(`GZGC-${year}`)).items.map((x) => x.id)).toEqual([target.id]);
    // % and _ are characters, not wildcards.
    expect((await list('100%')).items.map((x) => x.id)).toEqual([target.id]);
    expect((await list('0%的')).items).toEqual([]);
    expect((await list('上_连接池')).items).toEqual([]);
    const found = (await list('连接池', '&type=fault_procedure&status=draft')).items[0]!;
    expect(found).toMatchObject({ type: { code: 'fault_procedure', name: 'Fault handling procedure' }, orgUnit: { name: '运维一部' }, latestVersion: { label: 'v1.0' } });
    expect(found.owner.name).toMatch(/^用户 /);
    expect((await list('连接池', '&status=published')).items).toEqual([]);
    expect((await list('连接池', `&orgUnitId=${unitB}`)).items).toEqual([]);
    const paged = await ok<LibraryDocumentList>(writer.session.request('GET', '/api/library/documents?limit=2&offset=0'));
    expect(paged.items).toHaveLength(2);
    expect(paged.total).toBeGreaterThanOrEqual(3);
    expect((await writer.session.request('GET', '/api/library/documents?limit=1000')).json).toMatchObject({ code: 'YW_VALIDATION', details: { fields: [{ field: 'querystring.limit' }] } });
  });

  it('keeps data scope on read and write: other units\' documents do not exist for a scoped reader, a read-only reach is a 403', async () => {
    const inB = await ok(create(admin, { typeCode: 'maintenance_plan', title: '二部维护计划', orgUnitId: unitB }));
    expect(inB.orgUnit?.name).toBe('运维二部');
    // The writer reaches unit A only.
    expect((await writer.session.request('GET', `/api/library/documents/${inB.id}`)).status).toBe(404);
    expect((await ok<LibraryDocumentList>(writer.session.request('GET', '/api/library/documents?limit=200'))).items.some((x) => x.id === inB.id)).toBe(false);
    expect((await writer.session.request('PATCH', `/api/library/documents/${inB.id}`, { title: 'x' })).status).toBe(404);
    const outside = await create(writer.session, { typeCode: 'maintenance_plan', title: '越权', orgUnitId: unitB });
    expect(outside.status).toBe(403);
    expect(outside.json).toMatchObject({ code: 'YW_OUT_OF_SCOPE', details: { field: 'body.orgUnitId' } });
    // Reads every unit, writes in A only.
    const access = new AccessService(t.ctx);
    const readAll = await access.createRole(systemActor('test'), { name: 'library-read-all', permissions: [P.read] });
    const writeA = await access.createRole(systemActor('test'), { name: 'library-write-a', permissions: [P.write] });
    const mixed = await new UserService(t.ctx).create(systemActor('test'), { username: 'lib-mixed', displayName: '跨部门读者', password: 'Mixed#pass1word', roles: [{ roleId: readAll.id, orgUnitIds: null }, { roleId: writeA.id, orgUnitIds: [unitA] }], orgUnitId: unitA });
    const session = await t.signIn({ id: mixed.id, username: mixed.username, password: 'Mixed#pass1word' });
    const seen = await ok(session.request('GET', `/api/library/documents/${inB.id}`));
    expect(seen.actions).toMatchObject({ edit: false, link: false });
    const refused = await session.request('PATCH', `/api/library/documents/${inB.id}`, { title: 'x' });
    expect(refused.status).toBe(403);
    expect(refused.json.code).toBe('YW_OUT_OF_SCOPE');
    // Moving one's own document to another unit is a write there too.
    const mine = await ok(create(session, { typeCode: 'maintenance_plan', title: '一部维护计划' }));
    expect(mine.orgUnit?.id).toBe(unitA);
    expect((await session.request('PATCH', `/api/library/documents/${mine.id}`, { orgUnitId: unitB })).json).toMatchObject({ code: 'YW_OUT_OF_SCOPE', details: { field: 'body.orgUnitId' } });
  });

  it('links documents to CIs and business systems, names resolved on read and withheld outside the reader\'s scope', async () => {
    const classes = (await admin.request('GET', '/api/cmdb/classes')).json as { id: string; code: string }[];
    const classId = (code: string) => classes.find((c) => c.code === code)!.id;
    const server = await ok<{ id: string }>(admin.request('POST', '/api/cmdb/cis', { classId: classId('server'), name: 'db-master-01', orgUnitId: unitA }));
    const system = await ok<{ id: string }>(admin.request('POST', '/api/cmdb/cis', { classId: classId('business_system'), name: '网上营业厅', orgUnitId: unitA }));
    const secret = await ok<{ id: string }>(admin.request('POST', '/api/cmdb/cis', { classId: classId('server'), name: 'b-secret-host', orgUnitId: unitB }));
    const d = await ok(create(writer.session, { typeCode: 'backup_recovery', title: '营业厅数据备份恢复方案', links: [{ kind: 'business_system', targetId: system.id }] }));
    expect(d.links).toMatchObject([{ kind: 'business_system', name: '网上营业厅', href: `/cmdb/cis/${system.id}` }]);
    const link = await ok<{ id: string; name: string }>(writer.session.request('POST', `/api/library/documents/${d.id}/links`, { kind: 'ci', targetId: server.id }));
    expect(link.name).toBe('db-master-01');
    expect((await writer.session.request('POST', `/api/library/documents/${d.id}/links`, { kind: 'ci', targetId: server.id })).json.code).toBe('YW_LIBRARY_LINK_EXISTS');
    // A server is not a business system; another unit's CI is not there for the writer.
    expect((await writer.session.request('POST', `/api/library/documents/${d.id}/links`, { kind: 'business_system', targetId: server.id })).json).toMatchObject({ code: 'YW_VALIDATION', details: { field: 'body.targetId' } });
    expect((await writer.session.request('POST', `/api/library/documents/${d.id}/links`, { kind: 'ci', targetId: secret.id })).json).toMatchObject({ code: 'YW_VALIDATION', details: { field: 'body.targetId' } });
    await ok(admin.request('POST', `/api/library/documents/${d.id}/links`, { kind: 'ci', targetId: secret.id }));
    const seen = await detail(writer.session, d.id);
    expect(seen.links.map((l) => l.name)).toEqual(['网上营业厅', 'db-master-01', null]);
    const byTarget = await ok<LibraryDocumentList>(writer.session.request('GET', `/api/library/documents?linkKind=ci&linkTargetId=${server.id}`));
    expect(byTarget.items.map((x) => x.id)).toEqual([d.id]);
    await ok(writer.session.request('DELETE', `/api/library/documents/${d.id}/links/${link.id}`, undefined));
    const after = await detail(writer.session, d.id);
    expect(after.links).toHaveLength(2);
    // Who changed what names the CI unlinked, as it named the one linked.
    expect(after.history.find((e) => e.action === 'unlink')?.detail).toBe('ci: db-master-01');
  });

  it('refuses bad input with 4xx naming the field and writes nothing', async () => {
    const count = async () => Number((await t.ctx.db.selectFrom('document').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const cases: [Record<string, unknown>, string, number][] = [
      [{ typeCode: 'no_such_type', title: '无类型' }, 'body.typeCode', 404],
      [{ typeCode: 'emergency_plan', title: '' }, 'body.title', 400],
      [{ typeCode: 'emergency_plan', title: 'x'.repeat(201) }, 'body.title', 400],
      [{ typeCode: 'emergency_plan', title: '脚本', body: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'script', text: 'x' }] }] } }, 'body.body.content.0.content.0.type', 400],
      [{ typeCode: 'emergency_plan', title: '外链图片', body: doc({ type: 'image', attrs: { src: 'http://example.cn/a.png' } }) }, 'body.body.content.0.attrs.src', 400],
      [{ typeCode: 'emergency_plan', title: '未知字段', owner: 'me' }, 'body', 400],
      [{ typeCode: 'emergency_plan', title: '机构', orgUnitId: '0190aaaa-0000-7000-8000-000000000000' }, 'body.orgUnitId', 404],
    ];
    for (const [body, field, status] of cases) {
      const res = await create(writer.session, body);
      expect(res.status, `${field}: ${res.body}`).toBe(status);
      const fields = [res.json.details?.field, ...((res.json.details?.fields as { field: string }[] | undefined) ?? []).map((f) => f.field)];
      expect(fields.some((f) => typeof f === 'string' && f.startsWith(field)), `${field} in ${res.body}`).toBe(true);
    }
    expect(await count()).toBe(before);
    expect((await writer.session.request('GET', '/api/library/documents/0190aaaa-0000-7000-8000-000000000000')).status).toBe(404);
    const d = await ok(create(writer.session, { typeCode: 'fault_analysis', title: '版本对比' }));
    expect((await writer.session.request('GET', `/api/library/documents/${d.id}/diff?left=${d.latestVersion.id}&right=0190aaaa-0000-7000-8000-000000000000`)).json).toMatchObject({ code: 'YW_LIBRARY_VERSION_NOT_FOUND', details: { field: 'query.right' } });
    expect((await writer.session.request('POST', `/api/library/documents/${d.id}/publish`, {})).status).toBe(403);
    expect((await admin.request('POST', `/api/library/documents/${d.id}/publish`, {})).json).toMatchObject({ code: 'YW_LIBRARY_ILLEGAL_TRANSITION', details: { state: 'draft' } });
  });

  it('reminds the owner once when a published document is due for review, with its title, number and an absolute link', async () => {
    const receiver: TestReceiver = await startReceiver();
    notifyOf(t.ctx).worker.configure({ pollMs: 50 });
    notifyOf(t.ctx).start();
    try {
      await ok(admin.request('POST', '/api/notify/channels', { name: '文档通知', type: 'webhook', config: { url: receiver.url }, isDefault: true }));
      await ok(admin.request('PATCH', '/api/library/types/training_plan', { flowCode: null }));
      const d = await ok(create(writer.session, { typeCode: 'training_plan', title: '应急演练培训方案' }));
      await ok(writer.session.request('POST', `/api/library/documents/${d.id}/submit`, {}));
      const published = await ok(admin.request('POST', `/api/library/documents/${d.id}/publish`, {}));
      const due = published.reviewDueAt!;
      const reminders = libraryOf(t.ctx).reminders;
      const mine = async (at: number) => {
        await reminders.run(at);
        return receiver.requests.filter((r) => (r.json as { title: string }).title.includes(d.number)).length;
      };
      expect(await mine(due - DAY)).toBe(0);
      await reminders.run(due + 1000);
      await waitFor(() => receiver.requests.some((r) => (r.json as { title: string }).title.includes(d.number)), 'the review reminder at the webhook', 10_000, 50);
      const message = receiver.requests.find((r) => (r.json as { title: string }).title.includes(d.number))!.json as { title: string; text: string; url: string };
      expect(message.title).toBe(`【文档复审提醒】${d.number}《应急演练培训方案》`);
      expect(message.text).toContain(d.owner.name);
      expect(message.url).toBe(`https://yunwei.example.cn/library/documents/${d.id}`);
      // Once per period: later runs (or other nodes) send nothing more.
      expect((await reminders.run(due + 2 * DAY)).reminded).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(receiver.requests.filter((r) => (r.json as { title: string }).title.includes(d.number))).toHaveLength(1);
      // The list's overdue filter (the stored date moved to yesterday: real time is a year before `due`).
      await t.ctx.db.updateTable('document').set({ review_due_at: Date.now() - DAY, review_reminded_due: Date.now() - DAY }).where('id', '=', d.id).execute();
      expect((await ok<LibraryDocumentList>(writer.session.request('GET', '/api/library/documents?reviewOverdue=true'))).items.map((x) => [x.id, x.reviewOverdue])).toEqual([[d.id, true]]);
      expect((await detail(writer.session, d.id)).history[0]).toMatchObject({ action: 'review_reminder' });
    } finally {
      await notifyOf(t.ctx).close();
      await receiver.stop();
    }
  });
});
