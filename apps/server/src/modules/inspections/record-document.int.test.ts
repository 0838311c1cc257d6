import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InspectionRecord } from '@yunwei/contracts/inspections';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { docxText } from '../../platform/documents/docx.testing.js';
import { pdfPages, popplerAvailable } from '../../platform/documents/pdf.testing.js';

describe.skipIf(!databaseAvailable())('an inspection record as Word and PDF', () => {
  let t: TestApp;
  let admin: TestSession;
  let record: InspectionRecord;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    const classes = (await admin.request('GET', '/api/cmdb/classes')).json as { id: string; code: string }[];
    await admin.request('POST', '/api/cmdb/cis', { classId: classes.find((c) => c.code === 'server')!.id, name: 'web-01' });
    const tpl = await admin.request('POST', '/api/inspections/templates', {
      name: '机房日巡检',
      scope: { kind: 'class', classCode: 'server' },
      items: [
        { key: 'lights', name: '指示灯', kind: 'manual' },
        { key: 'noise', name: '风扇噪音', kind: 'manual' },
      ],
    });
    expect(tpl.status, tpl.body).toBe(200);
    const run = await admin.request('POST', '/api/inspections/records', { templateId: tpl.json.id });
    expect(run.status, run.body).toBe(200);
    const created = run.json as InspectionRecord;
    const of = (key: string) => created.results.find((r) => r.itemKey === key)!;
    expect((await admin.request('PATCH', `/api/inspections/records/${created.id}/results/${of('lights').id}`, { verdict: 'abnormal', note: '电源灯橙色' })).status).toBe(200);
    expect((await admin.request('PATCH', `/api/inspections/records/${created.id}/results/${of('noise').id}`, { verdict: 'normal', note: '正常' })).status).toBe(200);
    record = (await admin.request('GET', `/api/inspections/records/${created.id}`)).json;
  });
  afterAll(() => t?.close());

  const download = async (format: 'docx' | 'pdf', locale = 'zh-CN') => {
    const res = await t.app.inject({ method: 'GET', url: `/api/inspections/records/${record.id}/export.${format}`, cookies: { yw_session: admin.cookie }, headers: { 'accept-language': locale } });
    expect(res.statusCode, res.body).toBe(200);
    return res;
  };

  it('downloads the record as Word: the run, every CI × item with its verdict, the totals, audited', async () => {
    const res = await download('docx');
    expect(String(res.headers['content-disposition'])).toContain(encodeURIComponent('机房日巡检 巡检记录'));
    const text = await docxText(res.rawPayload);
    for (const s of ['机房日巡检 巡检记录', record.id, '一、巡检概况', '共巡检 1 个配置项、2 项：正常 1 项，异常 1 项，不支持 0 项，无数据 0 项，待填写 0 项。', 'web-01：指示灯 — 电源灯橙色', '二、巡检明细', '电源灯橙色', '三、巡检结论与签字']) {
      expect(text).toContain(s);
    }
    const en = await docxText((await download('docx', 'en')).rawPayload);
    expect(en).toContain('Inspection record: 机房日巡检');
    expect(en).toContain('1 configuration items, 2 items: 1 normal, 1 abnormal');
    const audit = await t.ctx.db.selectFrom('audit_log').select(['target_id', 'after']).where('action', '=', 'inspections.record.download').execute();
    expect(audit.map((a) => a.target_id)).toEqual([record.id, record.id]);
  });

  it.skipIf(!popplerAvailable())('downloads the record as PDF with the same content', async () => {
    const text = (await pdfPages((await download('pdf')).rawPayload)).join('\n').replace(/\s+/g, '');
    expect(text).toContain('机房日巡检巡检记录');
    expect(text).toContain('异常1项');
    expect(text).toContain('电源灯橙色');
  });

  it('a record the reader cannot see is a 404; a bad id a 400', async () => {
    expect((await admin.request('GET', '/api/inspections/records/0000ffff/export.pdf')).status).toBe(404);
    expect((await admin.request('GET', '/api/inspections/records/not*an*id/export.docx')).status).toBe(400);
  });
});
