import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';

const ZH = { 'accept-language': 'zh-CN,zh;q=0.9' };

describe.skipIf(!databaseAvailable())('errors answer in the language of the request, naming the field', () => {
  let t: TestApp;
  let admin: TestSession;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
  });
  afterAll(() => t?.close());

  it('words a schema error (the URL format) in Chinese or English, on the field and in the message', async () => {
    const body = { name: 'node', url: 'ftp://files.example/metrics' };
    const zh = await admin.request('POST', '/api/monitoring/scrape-targets', body, ZH);
    expect(zh.status).toBe(400);
    expect(zh.json.details.fields).toEqual([{ field: 'body.url', message: '必须是 http 或 https 地址' }]);
    expect(zh.json.message).toBe('请求内容不正确：body.url — 必须是 http 或 https 地址');
    const en = await admin.request('POST', '/api/monitoring/scrape-targets', body);
    expect(en.json.details.fields).toEqual([{ field: 'body.url', message: 'must be an http or https URL' }]);
    expect(en.json.message).toBe('The request is not valid: body.url — must be an http or https URL');
  });

  it("words a service's own rule (one a schema cannot express) in the request's language", async () => {
    const zh = await admin.request('PATCH', '/api/monitoring/settings', { rollup5mRetentionDays: 5 }, ZH);
    expect(zh.status).toBe(400);
    expect(zh.json.details.fields).toEqual([{ field: 'body.rollup5mRetentionDays', message: '5 分钟汇总数据的保留期不能短于原始样本' }]);
    const en = await admin.request('PATCH', '/api/monitoring/settings', { rollup5mRetentionDays: 5 });
    expect(en.json.details.fields[0].message).toBe('5-minute rollups must be kept at least as long as raw samples');
  });

  it('puts a coded refusal naming a field (a taken user name) on that field with the catalogue text', async () => {
    const body = { username: 'admin', displayName: '重名', password: 'Another-Passw0rd!' };
    const zh = await admin.request('POST', '/api/users', body, ZH);
    expect(zh.status).toBe(409);
    expect(zh.json).toMatchObject({ code: 'YW_USERNAME_TAKEN', details: { field: 'body.username', fields: [{ field: 'body.username', message: '用户名已存在' }] } });
    const en = await admin.request('POST', '/api/users', body);
    expect(en.json.details.fields).toEqual([{ field: 'body.username', message: 'The user name is already taken' }]);
  });

  it('says why an uploaded sheet cannot be read, in words (an old .xls, a missing column)', async () => {
    const server = ((await admin.request('GET', '/api/cmdb/classes')).json as { id: string; code: string }[]).find((c) => c.code === 'server')!;
    const xls = await admin.request('POST', `/api/cmdb/import?classId=${server.id}`, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), { 'content-type': 'application/vnd.ms-excel', ...ZH });
    expect(xls.json).toMatchObject({ code: 'YW_CMDB_IMPORT_UNREADABLE', details: { reason: 'legacy .xls: save the file as .xlsx or CSV' } });
    expect(xls.json.message).toContain('旧版 .xls 文件：请在 Excel 或 WPS 中另存为 .xlsx');
    const noName = await admin.request('POST', `/api/cmdb/import?classId=${server.id}`, 'ip,hostname\n10.0.0.1,h\n', { 'content-type': 'text/csv' });
    expect(noName.json.code).toBe('YW_CMDB_IMPORT_MISSING_COLUMN');
    expect(noName.json.message).toMatch(/^The import file lacks a required column: no ".*name.*" column in the first row$/);
  });

  it('never answers a Chinese request with English words in a validation message', async () => {
    const bad = await admin.request('POST', '/api/users', { username: '-x', displayName: '', password: 'short', evil: true, roles: [{ roleId: 'zz', orgUnitIds: 'all' }] }, ZH);
    expect(bad.status).toBe(400);
    const messages = (bad.json.details.fields as { field: string; message: string }[]).map((f) => f.message);
    expect(messages.length).toBeGreaterThan(3);
    for (const message of messages) {
      expect(message).not.toMatch(/\b(must|is|should|not|known)\b/);
      expect(message).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
