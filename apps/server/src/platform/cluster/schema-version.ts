import type { Kysely, Migration } from 'kysely';

/**
 * Refuses to start on a database that a newer release has migrated (a node left behind in an
 * upgrade would otherwise fail on Kysely's "corrupted migrations" or, worse, run old code against new
 * tables). Returns the newest migration this node knows: its schema version.
 */
export async function refuseNewerSchema(db: Kysely<any>, sets: readonly Readonly<Record<string, Migration>>[]): Promise<string> {
  const known = new Set(sets.flatMap((set) => Object.keys(set)));
  const newest = [...known].sort().at(-1) ?? '';
  let applied: string[];
  try {
    applied = (await db.selectFrom('yunwei_migration').select('name').execute()).map((r: { name: string }) => r.name);
  } catch {
    // A new database: nothing applied yet.
    return newest;
  }
  const unknown = applied.filter((name) => !known.has(name)).sort();
  if (unknown.length) {
    const latest = unknown.at(-1)!;
    throw new Error(
      `数据库结构比本节点新（数据库已执行迁移 ${latest}，本节点只认识到 ${newest}）：请把本节点升级到与其他节点相同的版本后再启动。\n` +
        `The database schema is newer than this node (the database has migration ${latest}; this node knows up to ${newest}): upgrade this node to the release the other nodes run, then start it.`,
    );
  }
  return newest;
}
