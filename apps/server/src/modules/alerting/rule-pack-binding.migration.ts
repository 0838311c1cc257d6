import type { Kysely, Migration } from 'kysely';

/**
 * Issue 11: rule packs apply by what a thing is. Their rules were bound to a CI class (`server`,
 * `database`, `application`), so an HTTP check on a CI of class `server` (or on no CI) got no HTTP
 * rule. Now the host rules bind to every host (target `hosts`) and the check rules to every check of
 * their types (target `all`, reading only those checks' series). And rules get an English name
 * (packs' rules have one), alerts keep their rule's.
 *
 * Installed pack rules move to the new binding only where they still have the pack's old one (a rule
 * an administrator re-targeted or changed keeps what they chose); they keep their ids, so their open
 * alerts (fingerprints are rule id + labels) go on as they were. The packs as they were are written
 * here, not read from rule-packs.ts, which will change again.
 */
const BEFORE: Record<string, { classCode: string; target: unknown; selectors: Record<string, string> }> = {
  hosts: { classCode: 'server', target: { kind: 'hosts' }, selectors: {} },
  databases: {
    classCode: 'database',
    target: { kind: 'all' },
    selectors: { db_connections: 'db_connections{type=~"postgres|mysql"}', db_replication_lag_seconds: 'db_replication_lag_seconds{type=~"postgres|mysql"}' },
  },
  http: { classCode: 'application', target: { kind: 'all' }, selectors: { check_tls_days_left: 'check_tls_days_left{type="http"}' } },
};

/** The English names of the packs' rules, by their Chinese names as installed. */
const ENGLISH: Record<string, string> = {
  '主机 CPU 使用率过高': 'Host CPU usage high',
  '主机内存使用率过高': 'Host memory usage high',
  '主机磁盘使用率过高': 'Host disk usage high',
  '主机磁盘 7 天内将写满': 'Host disk full within 7 days',
  '主机 Agent 失联': 'Host agent silent',
  'PostgreSQL 不可用': 'PostgreSQL down',
  'MySQL 不可用': 'MySQL down',
  '数据库连接数接近上限': 'Database connections near the maximum',
  '数据库主从复制延迟': 'Database replica lag',
  'HTTP 服务不可用': 'HTTP service down',
  'TLS 证书即将到期': 'TLS certificate expiring',
  'HTTP 响应变慢': 'HTTP responses slow',
};

type RuleRow = { id: string; name: string; pack: string; spec: string; target: string };

/** Moves installed pack rules to the new binding and names them in English. Answers how many were rebound. */
export async function rebindPackRules(db: Kysely<any>): Promise<number> {
  const rules = (await db.selectFrom('alert_rule').select(['id', 'name', 'pack', 'spec', 'target']).where('pack', 'in', Object.keys(BEFORE)).execute()) as RuleRow[];
  const classes = new Map(((await db.selectFrom('cmdb_class').select(['id', 'code']).execute()) as { id: string; code: string }[]).map((c) => [c.code, c.id]));
  let rebound = 0;
  for (const rule of rules) {
    const before = BEFORE[rule.pack]!;
    const target = JSON.parse(rule.target) as { kind: string; classId?: string };
    const patch: Record<string, unknown> = {};
    if (target.kind === 'class' && target.classId === classes.get(before.classCode)) {
      patch.target = JSON.stringify(before.target);
      const spec = JSON.parse(rule.spec) as { selector?: string };
      const selector = spec.selector === undefined ? undefined : before.selectors[spec.selector];
      if (selector) {
        patch.spec = JSON.stringify({ ...spec, selector });
      }
      rebound++;
    }
    const nameEn = ENGLISH[rule.name];
    if (nameEn) {
      patch.name_en = nameEn;
    }
    if (Object.keys(patch).length) {
      await db.updateTable('alert_rule').set(patch).where('id', '=', rule.id).execute();
    }
  }
  // Alerts keep the name their rule had when they began: the English one too.
  await db
    .updateTable('alert')
    .set((eb: any) => ({ rule_name_en: eb.selectFrom('alert_rule as r').select('r.name_en').whereRef('r.id', '=', 'alert.rule_id').whereRef('r.name', '=', 'alert.rule_name') }))
    .execute();
  return rebound;
}

export const rulePackBindingMigration: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('alert_rule').addColumn('name_en', 'text').execute();
    await db.schema.alterTable('alert').addColumn('rule_name_en', 'text').execute();
    await rebindPackRules(db);
  },
  async down(db: Kysely<any>) {
    // Back to the class binding (the version before knows no `hosts` target) where the new one stands.
    const classes = new Map(((await db.selectFrom('cmdb_class').select(['id', 'code']).execute()) as { id: string; code: string }[]).map((c) => [c.code, c.id]));
    const rules = (await db.selectFrom('alert_rule').select(['id', 'name', 'pack', 'spec', 'target']).where('pack', 'in', Object.keys(BEFORE)).execute()) as RuleRow[];
    for (const rule of rules) {
      const before = BEFORE[rule.pack]!;
      const classId = classes.get(before.classCode);
      if (rule.target !== JSON.stringify(before.target) || !classId) {
        continue;
      }
      const spec = JSON.parse(rule.spec) as { selector?: string };
      const old = Object.entries(before.selectors).find(([, now]) => now === spec.selector)?.[0];
      await db
        .updateTable('alert_rule')
        .set({ target: JSON.stringify({ kind: 'class', classId }), ...(old ? { spec: JSON.stringify({ ...spec, selector: old }) } : {}) })
        .where('id', '=', rule.id)
        .execute();
    }
    // Any other rule on every host reads every series instead (the nearest the version before has).
    await db.updateTable('alert_rule').set({ target: JSON.stringify({ kind: 'all' }) }).where('target', '=', JSON.stringify({ kind: 'hosts' })).execute();
    await db.schema.alterTable('alert').dropColumn('rule_name_en').execute();
    await db.schema.alterTable('alert_rule').dropColumn('name_en').execute();
  },
};
