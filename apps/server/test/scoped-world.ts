import type { TestApp, TestSession } from './test-app.js';

/**
 * Two org units for data-scope tests: 甲 (with a child 甲一) and 乙, a server CI in 甲一 and one in 乙,
 * and a way to sign in someone whose grants reach 甲 only. Checks, inspections and agents share it.
 */
export interface ScopedWorld {
  unitA: string;
  unitA1: string;
  unitB: string;
  /** Server CIs: one in 甲一 (inside 甲's scope), one in 乙. */
  ciA: string;
  ciB: string;
  serverClassId: string;
  /** Signs in a new user holding `permissions` over 甲 and its descendants only. */
  scopedToA(permissions: string[]): Promise<TestSession>;
}

export async function scopedWorld(t: TestApp, admin: TestSession, tag: string): Promise<ScopedWorld> {
  const unit = async (name: string, parentId?: string): Promise<string> => {
    const res = await admin.request('POST', '/api/org-units', { name: `${name}-${tag}`, ...(parentId ? { parentId } : {}) });
    if (res.status !== 200) {
      throw new Error(`org unit ${name}: ${res.body}`);
    }
    return res.json.id as string;
  };
  const unitA = await unit('甲');
  const unitA1 = await unit('甲一', unitA);
  const unitB = await unit('乙');
  const classes = (await admin.request('GET', '/api/cmdb/classes')).json as { id: string; code: string }[];
  const serverClassId = classes.find((c) => c.code === 'server')!.id;
  const ci = async (name: string, orgUnitId: string): Promise<string> => {
    const res = await admin.request('POST', '/api/cmdb/cis', { classId: serverClassId, name: `${name}-${tag}`, orgUnitId });
    if (res.status !== 200) {
      throw new Error(`CI ${name}: ${res.body}`);
    }
    return res.json.id as string;
  };
  return {
    unitA,
    unitA1,
    unitB,
    ciA: await ci('host-a', unitA1),
    ciB: await ci('host-b', unitB),
    serverClassId,
    scopedToA: async (permissions) => t.signIn(await t.newUser({ permissions, orgUnitIds: [unitA] })),
  };
}
