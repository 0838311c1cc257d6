import { expect } from 'vitest';
import type { LibraryBody, LibraryDocumentDetail } from '@yunwei/contracts/library';
import type { TestApp, TestSession, TestUser } from '../../../test/test-app.js';

/** Tiptap JSON builders for tests. */
export const text = (t: string, marks?: string[]) => ({ type: 'text', text: t, ...(marks ? { marks: marks.map((m) => ({ type: m })) } : {}) });
export const para = (t: string) => ({ type: 'paragraph', content: [text(t)] });
export const heading = (level: number, t: string) => ({ type: 'heading', attrs: { level }, content: [text(t)] });
export const doc = (...content: object[]) => ({ type: 'doc', content }) as LibraryBody;

/** An emergency plan's body: a heading 1, a paragraph with a Chinese phrase in mid-sentence, a list and a table. */
export function planBody(extra = ''): LibraryBody {
  return doc(
    heading(1, '一、总则'),
    para(`本预案适用于核心业务系统发生数据库主库宕机时的应急响应处置流程。${extra}`),
    { type: 'bulletList', content: [{ type: 'listItem', content: [para('值班员确认告警')] }, { type: 'listItem', content: [para('通知数据库管理员')] }] },
    {
      type: 'table',
      content: [
        { type: 'tableRow', content: [{ type: 'tableHeader', content: [para('角色')] }, { type: 'tableHeader', content: [para('职责')] }] },
        { type: 'tableRow', content: [{ type: 'tableCell', content: [para('值班员')] }, { type: 'tableCell', content: [para('首次响应')] }] },
      ],
    },
  );
}

export interface Signed {
  user: TestUser;
  session: TestSession;
}

export async function person(t: TestApp, options: Parameters<TestApp['newUser']>[0]): Promise<Signed> {
  const user = await t.newUser(options);
  return { user, session: await t.signIn(user) };
}

export async function ok<T = LibraryDocumentDetail>(res: Promise<{ status: number; json: any; body: string }>): Promise<T> {
  const r = await res;
  expect(r.status, r.body).toBe(200);
  return r.json as T;
}

export async function orgUnit(admin: TestSession, name: string): Promise<string> {
  return (await ok<{ id: string }>(admin.request('POST', '/api/org-units', { name }))).id;
}
