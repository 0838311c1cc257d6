import { uuidv7 } from 'uuidv7';
import { IDENTITY_PERMISSIONS } from '@yunwei/contracts/identity';
import { buildApp } from '../../apps/server/src/app.js';
import type { Config } from '../../apps/server/src/config/config.js';
import { toJson } from '../../apps/server/src/db/dialect.js';
import type { Actor } from '../../apps/server/src/platform/actor.js';
import { systemActor } from '../../apps/server/src/platform/actor.js';
import { hashPassword } from '../../apps/server/src/platform/crypto.js';
import { AccessService } from '../../apps/server/src/modules/access/access.service.js';
import type { UserRow } from '../../apps/server/src/modules/identity/user.repository.js';
import { TokenService } from '../../apps/server/src/modules/identity/token.service.js';
import { UserService } from '../../apps/server/src/modules/identity/user.service.js';

// Deterministic data: the same 10,000 people every run.
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// [pinyin, hanzi]; the common surnames come first and are drawn more often.
const SURNAMES: [string, string][] = [
  ['wang', '王'], ['li', '李'], ['zhang', '张'], ['liu', '刘'], ['chen', '陈'], ['yang', '杨'], ['huang', '黄'], ['zhao', '赵'],
  ['wu', '吴'], ['zhou', '周'], ['xu', '徐'], ['sun', '孙'], ['ma', '马'], ['zhu', '朱'], ['hu', '胡'], ['guo', '郭'],
  ['he', '何'], ['gao', '高'], ['lin', '林'], ['luo', '罗'], ['zheng', '郑'], ['liang', '梁'], ['xie', '谢'], ['song', '宋'],
  ['tang', '唐'], ['han', '韩'], ['feng', '冯'], ['deng', '邓'], ['cao', '曹'], ['peng', '彭'], ['zeng', '曾'], ['xiao', '肖'],
  ['tian', '田'], ['dong', '董'], ['pan', '潘'], ['yuan', '袁'], ['cai', '蔡'], ['jiang', '蒋'], ['yu', '余'], ['du', '杜'],
];
const GIVEN: [string, string][] = [
  ['wei', '伟'], ['fang', '芳'], ['na', '娜'], ['min', '敏'], ['jing', '静'], ['lei', '磊'], ['qiang', '强'], ['jun', '军'],
  ['yong', '勇'], ['yan', '艳'], ['jie', '杰'], ['tao', '涛'], ['ming', '明'], ['chao', '超'], ['xiuying', '秀英'], ['xia', '霞'],
  ['ping', '平'], ['gang', '刚'], ['hui', '慧'], ['bin', '斌'], ['hao', '浩'], ['yu', '宇'], ['xin', '鑫'], ['kai', '凯'],
  ['jianguo', '建国'], ['zhiqiang', '志强'], ['haiyan', '海燕'], ['xiaohong', '晓红'], ['guoqing', '国庆'], ['wenjing', '文静'],
  ['yifan', '一帆'], ['zihan', '子涵'], ['haoran', '浩然'], ['yuxuan', '雨轩'], ['shuai', '帅'], ['dan', '丹'],
];
const DEPARTMENTS: [string, string][] = [
  ['信息中心', 'IT'], ['网络运维组', 'NET'], ['系统运维组', 'SYS'], ['安全管理部', 'SEC'], ['数据库组', 'DBA'], ['应用支持组', 'APP'],
  ['财务处', 'FIN'], ['人事处', 'HR'], ['办公室', 'OFF'], ['审计处', 'AUD'], ['采购中心', 'PUR'], ['客户服务中心', 'CS'],
];
const SITES: [string, string][] = [['北京总部', 'BJ'], ['上海分公司', 'SH'], ['广州分公司', 'GZ'], ['成都分公司', 'CD']];
const MAIL_DOMAINS = ['corp.example.cn', 'example.com.cn', 'mail.example.org'];

/** The request the bench measures: a page of 50, sorted by username, filtered by text and status. */
export const LIST_QUERY = '/api/users?offset=0&limit=50&sort=username&order=asc&q=zhang&status=active';

export interface SeedResult {
  /** `Authorization: Bearer` secret of an API token scoped to identity.user.read. */
  token: string;
  users: number;
}

/**
 * Creates the schema (by building the app once), 52 org units, `userCount` users inserted in one
 * transaction with one precomputed password hash, role assignments for about a third of them, and
 * the bench user with its API token (through the services, as an administrator would).
 */
export async function seed(config: Config, userCount: number): Promise<SeedResult> {
  const yunwei = await buildApp({ config, announce: () => undefined });
  try {
    const { db } = yunwei.ctx;
    const random = prng(20261126);
    const pick = <T>(list: readonly T[], skew = 1): T => list[Math.floor(Math.pow(random(), skew) * list.length)]!;
    const now = Date.now();

    // Org tree: 4 sites × 12 departments (+ the sites themselves).
    const units: string[] = [];
    await db.transaction().execute(async (trx) => {
      const rows = [];
      for (const [i, [site, code]] of SITES.entries()) {
        const siteId = uuidv7();
        rows.push({ id: siteId, parent_id: null, name: site, code, sort_order: i, created_at: now, updated_at: now });
        for (const [j, [dept, deptCode]] of DEPARTMENTS.entries()) {
          const id = uuidv7();
          units.push(id);
          rows.push({ id, parent_id: siteId, name: dept, code: `${code}-${deptCode}`, sort_order: j, created_at: now, updated_at: now });
        }
      }
      await trx.insertInto('org_unit').values(rows).execute();
    });

    // Roles the seeded people hold (built-in ones, scoped to their unit for operators and viewers).
    const access = new AccessService(yunwei.ctx);
    const roleIds = { operator: await access.builtinRoleId('operator'), viewer: await access.builtinRoleId('viewer'), audit: await access.builtinRoleId('audit_admin') };

    const passwordHash = await hashPassword('Bench#Pass-2026');
    const taken = new Set<string>(['admin']);
    const users: UserRow[] = [];
    const assignments: { user_id: string; role_id: string; org_scope: string | null }[] = [];
    for (let i = 0; i < userCount; i++) {
      const [sPinyin, sHanzi] = pick(SURNAMES, 1.6);
      const [gPinyin, gHanzi] = pick(GIVEN);
      let username = `${sPinyin}.${gPinyin}`;
      for (let n = 2; taken.has(username); n++) {
        username = `${sPinyin}.${gPinyin}${n}`;
      }
      taken.add(username);
      const created = now - Math.floor(random() * 3 * 365 * 86_400_000);
      const orgUnitId = random() < 0.95 ? pick(units) : null;
      const disabled = random() < 0.08;
      const id = uuidv7();
      users.push({
        id,
        username,
        display_name: `${sHanzi}${gHanzi}${username.match(/\d+$/)?.[0] ?? ''}`,
        email: random() < 0.9 ? `${username}@${pick(MAIL_DOMAINS)}` : '',
        phone: random() < 0.7 ? `1${3 + Math.floor(random() * 7)}${String(Math.floor(random() * 1e9)).padStart(9, '0')}` : '',
        org_unit_id: orgUnitId,
        status: disabled ? 'disabled' : 'active',
        password_hash: passwordHash,
        password_changed_at: created,
        must_change_password: random() < 0.1 ? 1 : 0,
        failed_attempts: 0,
        locked_until: random() < 0.01 ? now + 600_000 : null,
        mfa_secret: null,
        mfa_pending_secret: null,
        mfa_last_step: null,
        last_login_at: random() < 0.8 ? now - Math.floor(random() * 90 * 86_400_000) : null,
        created_at: created,
        updated_at: created,
      });
      const r = random();
      if (r < 0.25) {
        assignments.push({ user_id: id, role_id: roleIds.viewer, org_scope: orgUnitId ? toJson([orgUnitId]) : null });
      } else if (r < 0.33) {
        assignments.push({ user_id: id, role_id: roleIds.operator, org_scope: orgUnitId ? toJson([orgUnitId]) : null });
        if (r < 0.27) {
          assignments.push({ user_id: id, role_id: roleIds.viewer, org_scope: null });
        }
      } else if (r < 0.34) {
        assignments.push({ user_id: id, role_id: roleIds.audit, org_scope: null });
      }
    }
    // One transaction, multi-row inserts (17 columns × 500 rows stays under SQLite's variable limit).
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < users.length; i += 500) {
        await trx.insertInto('user').values(users.slice(i, i + 500)).execute();
      }
      for (let i = 0; i < assignments.length; i += 1000) {
        await trx.insertInto('user_role').values(assignments.slice(i, i + 1000)).execute();
      }
    });

    // The caller: a user holding only identity.user.read (all units), and its API token.
    const system = systemActor('bench');
    const role = await access.createRole(system, { name: 'bench-user-reader', permissions: [IDENTITY_PERMISSIONS.userRead] });
    const reader = await new UserService(yunwei.ctx).create(system, {
      username: 'bench.reader',
      displayName: '压测读取账号',
      password: 'Bench#Reader-2026',
      roles: [{ roleId: role.id, orgUnitIds: null }],
    });
    const grants = await access.resolveGrants(reader.id);
    const actor: Actor = { kind: 'user', userId: reader.id, username: reader.username, ip: '127.0.0.1', locale: 'en', ...grants };
    const { secret } = await new TokenService(yunwei.ctx).create(actor, { name: 'bench', scopes: [IDENTITY_PERMISSIONS.userRead], expiresInDays: 1 });
    return { token: secret, users: userCount };
  } finally {
    await yunwei.close();
  }
}
