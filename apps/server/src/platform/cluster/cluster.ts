import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { DatabaseHandle } from '../../db/database.js';
import type { DialectName } from '../../db/dialect.js';
import type { SecretBox } from '../crypto.js';
import { ownerOf } from './rendezvous.js';
import './cluster.tables.js';

/** Work that one node at a time does (the alert evaluator, the job schedules): started and stopped by the cluster. */
export interface Activity {
  start(): void | Promise<void>;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  dialect: DialectName;
  /** How long a lease or a heartbeat counts: a node silent for longer is gone and its work moves. */
  leaseMs: number;
  version: string;
  /** The newest migration this node knows. */
  schemaVersion: string;
  /** A fingerprint of the master key (`masterKeyCheck`): a node with another key is refused. */
  keyCheck?: string;
  /** PostgreSQL's LISTEN (the database handle's): messages between the nodes. */
  listen?: DatabaseHandle['listen'];
}

/** A fingerprint of the master key for comparing nodes: 8 bytes of a key derived for this purpose alone. */
export function masterKeyCheck(secrets: SecretBox): string {
  return secrets.deriveKey('cluster-key-check').subarray(0, 8).toString('hex');
}

/** PostgreSQL refuses NOTIFY payloads from 8000 bytes on. */
export const CLUSTER_MESSAGE_MAX_BYTES = 7_900;

interface Singleton {
  activity: Activity;
  /** Fencing token while this node holds the lease, else null. */
  token: number | null;
  /** Until when the lease is ours without another renewal (this node's clock). */
  heldUntil: number;
  running: boolean;
  /** Starts and stops of one activity run one after the other. */
  queue: Promise<void>;
}

/** What the cluster knows of a node, for the API. */
export interface ClusterNodeView {
  id: string;
  hostname: string;
  pid: number;
  version: string;
  schemaVersion: string;
  startedAt: number;
  heartbeatAt: number;
  stoppedAt: number | null;
  alive: boolean;
  self: boolean;
  /** Leases the node holds (singleton work). */
  leases: string[];
}

/** A process that is alive on this host (signal 0 only asks). EPERM: alive, but another user's. */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The one way background work is shared between Yunwei nodes on one database (docs/architecture.md
 * "Cluster mode"). Each node registers itself and beats every `leaseMs / 3`; from the rows of the
 * nodes that beat within `leaseMs` every node knows the same member list. Two strategies:
 *
 * - **singleton(name, activity)** — work one node does: a lease row, taken with one conditional UPDATE
 *   (only when free, expired or already ours), renewed by each beat, with a fencing token that grows
 *   when it changes hands. The holder starts the activity; a node that cannot renew stops it before
 *   its lease runs out. A node that dies is replaced within `leaseMs` + one beat.
 * - **owns(key)** — work spread over the nodes (checks, scrape targets): rendezvous hashing of the
 *   key over the live members. A node leaving moves only its own keys; `onMembershipChange` tells the
 *   loops to re-read what they own.
 *
 * SQLite is one node: a second live process on the same file is refused at start.
 */
export class Cluster {
  readonly nodeId = randomUUID();
  readonly #hostname = hostname();
  readonly #singletons = new Map<string, Singleton>();
  readonly #listeners = new Set<() => void>();
  #members: string[] = [this.nodeId];
  #timer: NodeJS.Timeout | undefined;
  #beating: Promise<void> = Promise.resolve();
  #started = false;
  readonly #topics = new Map<string, Set<(payload: unknown) => void>>();
  #channel = 'yunwei';
  #unlisten: (() => Promise<void>) | undefined;
  #outdatedBy: string | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly log: FastifyBaseLogger,
    private readonly options: ClusterOptions,
  ) {}

  get started(): boolean {
    return this.#started;
  }

  get leaseMs(): number {
    return this.options.leaseMs;
  }

  /**
   * The newer schema version a node that joined later runs, once one has: the database was migrated
   * under this node, which has left the cluster's work and must not serve either (old code on new tables).
   */
  get outdatedBy(): string | null {
    return this.#outdatedBy;
  }

  /** Joins: registers this node (refused on SQLite while another process uses the file), then beats. */
  async start(): Promise<void> {
    if (this.#started) {
      return;
    }
    const now = Date.now();
    await this.#forgetDeadNeighbours(now);
    if (this.options.dialect === 'sqlite') {
      await this.#refuseSecondProcess(now);
    }
    await this.#refuseOtherMasterKey();
    await this.#insertSelf(now);
    // Rows of nodes stopped long ago are history nobody reads.
    await this.db.deleteFrom('cluster_node').where('stopped_at', '<', now - 7 * 86_400_000).execute();
    this.#started = true;
    if (this.options.listen) {
      // NOTIFY is database-wide: nodes of another schema (another Yunwei on the same database) have their own channel.
      const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(this.db)).rows[0]?.s ?? 'public';
      this.#channel = schema === 'public' ? 'yunwei' : `yunwei_${schema}`.slice(0, 63);
      this.#unlisten = this.options.listen(this.#channel, (payload) => this.#receive(payload), (error) => this.log.warn({ err: error }, 'cluster: message connection failed (reconnecting)'));
    }
    await this.#beat();
    this.#schedule();
  }

  /** Leaves: stops the work it holds, hands its leases back at once and says it stopped. */
  async stop(): Promise<void> {
    if (!this.#started) {
      return;
    }
    this.#started = false;
    clearTimeout(this.#timer);
    await this.#beating;
    await this.#leave();
  }

  /** Stops the work this node holds and hands its leases back at once. */
  async #leave(): Promise<void> {
    await this.#unlisten?.();
    this.#unlisten = undefined;
    await Promise.all([...this.#singletons.values()].map((s) => this.#setRunning(s, false)));
    try {
      // Expired, not deleted: the next holder's fencing token still grows.
      await this.db.updateTable('cluster_lease').set({ expires_at: 0 }).where('holder', '=', this.nodeId).execute();
      await this.db.updateTable('cluster_node').set({ stopped_at: Date.now() }).where('id', '=', this.nodeId).execute();
    } catch (error) {
      // The others take over when the leases expire.
      this.log.warn({ err: error }, 'cluster: could not hand back leases on stop');
    }
  }

  /**
   * Work one node at a time does. Resolves once this node has tried to take it (and started it when
   * it could), so a single node starts it as before; otherwise the node that holds it runs it, and
   * another takes over when that one stops or goes silent.
   */
  async singleton(name: string, activity: Activity): Promise<void> {
    if (this.#singletons.has(name)) {
      throw new Error(`cluster: singleton ${name} is registered twice`);
    }
    const s: Singleton = { activity, token: null, heldUntil: 0, running: false, queue: Promise.resolve() };
    this.#singletons.set(name, s);
    if (this.#started) {
      await this.#claim(name, s, Date.now());
    }
  }

  /** Whether this node does the work named by `key` (e.g. a check's id), among the live nodes. */
  owns(key: string): boolean {
    return ownerOf(key, this.#members) === this.nodeId;
  }

  /** Other nodes are alive: work done here may need telling them (`publish`). */
  get hasPeers(): boolean {
    return this.#members.length > 1;
  }

  /**
   * Tells the other nodes (PostgreSQL NOTIFY; nothing on SQLite or alone). Small payloads only —
   * ids to fetch, or a few samples —, at most CLUSTER_MESSAGE_MAX_BYTES as JSON; a node never hears
   * its own messages. Best effort: a message lost while a node reconnects is not repeated, so
   * receivers use messages to learn sooner, never as the only record.
   */
  async publish(topic: string, payload: unknown): Promise<void> {
    if (!this.options.listen || !this.#started || !this.hasPeers) {
      return;
    }
    const text = JSON.stringify({ n: this.nodeId, t: topic, p: payload });
    if (Buffer.byteLength(text) > CLUSTER_MESSAGE_MAX_BYTES) {
      throw new Error(`cluster message on ${topic} is ${Buffer.byteLength(text)} bytes (at most ${CLUSTER_MESSAGE_MAX_BYTES})`);
    }
    await sql`select pg_notify(${this.#channel}, ${text})`.execute(this.db);
  }

  /** Messages other nodes publish on `topic`. Returns the unsubscribe. */
  subscribe(topic: string, handler: (payload: unknown) => void): () => void {
    const handlers = this.#topics.get(topic) ?? new Set();
    this.#topics.set(topic, handlers);
    handlers.add(handler);
    return () => handlers.delete(handler);
  }

  #receive(text: string): void {
    let message: { n: string; t: string; p: unknown };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    if (message.n === this.nodeId) {
      return;
    }
    for (const handler of this.#topics.get(message.t) ?? []) {
      try {
        handler(message.p);
      } catch (error) {
        this.log.error({ err: error, topic: message.t }, 'cluster: message handler failed');
      }
    }
  }

  /** The fencing token of a lease this node holds, else null. */
  tokenOf(name: string): number | null {
    return this.#singletons.get(name)?.token ?? null;
  }

  /** Called when nodes join or leave (what `owns` answers changes). Returns the unsubscribe. */
  onMembershipChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async nodes(): Promise<ClusterNodeView[]> {
    const now = Date.now();
    const [rows, leases] = await Promise.all([
      this.db.selectFrom('cluster_node').selectAll().orderBy('started_at', 'desc').execute(),
      this.db.selectFrom('cluster_lease').select(['name', 'holder']).where('expires_at', '>', now).orderBy('name').execute(),
    ]);
    return rows.map((r) => ({
      id: r.id,
      hostname: r.hostname,
      pid: Number(r.pid),
      version: r.version,
      schemaVersion: r.schema_version,
      startedAt: Number(r.started_at),
      heartbeatAt: Number(r.heartbeat_at),
      stoppedAt: r.stopped_at === null ? null : Number(r.stopped_at),
      alive: r.stopped_at === null && Number(r.heartbeat_at) > now - this.options.leaseMs,
      self: r.id === this.nodeId,
      leases: leases.filter((l) => l.holder === r.id).map((l) => l.name),
    }));
  }

  /** Runs a beat now (tests; and a node that wants to see a membership change at once). */
  beatNow(): Promise<void> {
    return this.#beat();
  }

  #schedule(): void {
    if (!this.#started) {
      return;
    }
    this.#timer = setTimeout(() => {
      this.#beating = this.#beat().finally(() => this.#schedule());
    }, Math.max(50, Math.floor(this.options.leaseMs / 3)));
    this.#timer.unref();
  }

  async #beat(): Promise<void> {
    const now = Date.now();
    try {
      const updated = await this.db.updateTable('cluster_node').set({ heartbeat_at: now, stopped_at: null }).where('id', '=', this.nodeId).executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) {
        // Deleted by hand, or by a database restored from a backup: join again.
        await this.#insertSelf(now);
      }
      const live = await this.db.selectFrom('cluster_node').select(['id', 'schema_version']).where('stopped_at', 'is', null).where('heartbeat_at', '>', now - this.options.leaseMs).execute();
      const newer = live.map((r) => r.schema_version).filter((v) => v > this.options.schemaVersion).sort().at(-1);
      if (newer !== undefined) {
        return this.#leaveOutdated(newer);
      }
      this.#setMembers(live.map((r) => r.id));
    } catch (error) {
      this.log.warn({ err: error }, 'cluster: heartbeat failed');
    }
    for (const [name, s] of this.#singletons) {
      await this.#claim(name, s, now);
    }
  }

  /** A newer node migrated the database under this one: hand all work over and stop beating (it only answers 503 from now on). */
  async #leaveOutdated(newer: string): Promise<void> {
    this.#outdatedBy = newer;
    this.log.error(
      { schemaVersion: this.options.schemaVersion, newer },
      `cluster: a node with a newer schema (${newer}) has joined: this node (${this.options.schemaVersion}) leaves the work and stops serving; upgrade it to the release the other nodes run`,
    );
    this.#started = false;
    clearTimeout(this.#timer);
    await this.#leave();
    // Nothing is this node's any more: the loops that ask `owns` re-read and find nothing.
    this.#members = [];
    this.#notifyMembership();
  }

  #setMembers(ids: string[]): void {
    const members = [...new Set([...ids, this.nodeId])].sort();
    if (members.join() === this.#members.join()) {
      return;
    }
    this.log.info({ nodes: members.length }, 'cluster: members changed');
    this.#members = members;
    this.#notifyMembership();
  }

  #notifyMembership(): void {
    for (const listener of this.#listeners) {
      try {
        listener();
      } catch (error) {
        this.log.error({ err: error }, 'cluster: membership listener failed');
      }
    }
  }

  /**
   * Takes or renews a lease and starts or stops the activity to match. Another node holding it stops
   * ours at once; a database error stops it only when the lease would lapse unrenewed (another node
   * may take it from then on).
   */
  async #claim(name: string, s: Singleton, now: number): Promise<void> {
    let token: number | null;
    try {
      token = await this.#takeLease(name, now);
    } catch (error) {
      this.log.warn({ err: error, lease: name }, 'cluster: lease not renewed');
      if (this.#started && Date.now() >= s.heldUntil) {
        s.token = null;
        await this.#setRunning(s, false);
      }
      return;
    }
    if (!this.#started) {
      return;
    }
    s.token = token;
    s.heldUntil = token === null ? 0 : now + this.options.leaseMs;
    await this.#setRunning(s, token !== null);
  }

  async #takeLease(name: string, now: number): Promise<number | null> {
    const expires = now + this.options.leaseMs;
    await this.db
      .insertInto('cluster_lease')
      .values({ name, holder: this.nodeId, token: 1, acquired_at: now, expires_at: expires })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    // One statement decides: only a free (expired) lease or our own is taken; two nodes cannot both match.
    const row = await this.db
      .updateTable('cluster_lease')
      .set((eb) => ({
        token: eb.case().when('holder', '=', this.nodeId).then(eb.ref('token')).else(eb('token', '+', 1)).end(),
        acquired_at: eb.case().when('holder', '=', this.nodeId).then(eb.ref('acquired_at')).else(now).end(),
        holder: this.nodeId,
        expires_at: expires,
      }))
      .where('name', '=', name)
      .where((eb) => eb.or([eb('holder', '=', this.nodeId), eb('expires_at', '<', now)]))
      .returning('token')
      .executeTakeFirst();
    return row ? Number(row.token) : null;
  }

  #setRunning(s: Singleton, running: boolean): Promise<void> {
    s.queue = s.queue.then(async () => {
      if (s.running === running) {
        return;
      }
      s.running = running;
      try {
        await (running ? s.activity.start() : s.activity.stop());
      } catch (error) {
        this.log.error({ err: error }, running ? 'cluster: activity failed to start' : 'cluster: activity failed to stop');
      }
    });
    return s.queue;
  }

  /**
   * Nodes of this host that died without stopping (kill -9, power loss) are not waited for: their
   * process is gone, so their leases are free now rather than when they expire.
   */
  async #forgetDeadNeighbours(now: number): Promise<void> {
    const neighbours = await this.db.selectFrom('cluster_node').select(['id', 'pid']).where('hostname', '=', this.#hostname).where('stopped_at', 'is', null).execute();
    const dead = neighbours.filter((n) => Number(n.pid) !== process.pid && !processAlive(Number(n.pid))).map((n) => n.id);
    if (dead.length) {
      await this.db.updateTable('cluster_lease').set({ expires_at: 0 }).where('holder', 'in', dead).execute();
      await this.db.updateTable('cluster_node').set({ stopped_at: now }).where('id', 'in', dead).execute();
    }
  }

  async #insertSelf(now: number): Promise<void> {
    await this.db
      .insertInto('cluster_node')
      .values({
        id: this.nodeId,
        hostname: this.#hostname,
        pid: process.pid,
        version: this.options.version,
        schema_version: this.options.schemaVersion,
        key_check: this.options.keyCheck ?? null,
        started_at: now,
        heartbeat_at: now,
        stopped_at: null,
      })
      .execute();
  }

  /**
   * The nodes of one database seal and open secrets and key the audit chain with one master key: a
   * node started with another (a forgotten YUNWEI_MASTER_KEY, a data directory that is not shared)
   * would fail to open every secret and break the chain. The node that ran last says which key is right.
   */
  async #refuseOtherMasterKey(): Promise<void> {
    if (!this.options.keyCheck) {
      return;
    }
    const last = await this.db
      .selectFrom('cluster_node')
      .select(['hostname', 'key_check'])
      .where('key_check', 'is not', null)
      .orderBy('heartbeat_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (last && last.key_check !== this.options.keyCheck) {
      throw new Error(
        `本节点的主密钥与运行此数据库的其他节点（最近一次：主机 ${last.hostname}）不同：所有节点必须使用同一个主密钥（相同的 YUNWEI_MASTER_KEY，或共享同一个数据目录中的 master.key）。\n` +
          `This node's master key differs from the one the other nodes of this database use (last: host ${last.hostname}): every node needs the same master key (the same YUNWEI_MASTER_KEY, or master.key from a shared data directory).`,
      );
    }
  }

  async #refuseSecondProcess(now: number): Promise<void> {
    const other = await this.db
      .selectFrom('cluster_node')
      .select(['hostname', 'pid'])
      .where('stopped_at', 'is', null)
      .where('heartbeat_at', '>', now - this.options.leaseMs)
      .where('id', '!=', this.nodeId)
      .executeTakeFirst();
    if (other) {
      throw new Error(
        `另一个 Yunwei 进程（主机 ${other.hostname}，进程号 ${other.pid}）正在使用这个 SQLite 数据库。SQLite 只支持单节点；要运行多个节点，请使用 PostgreSQL（YUNWEI_DATABASE_URL=postgres://…）。\n` +
          `Another Yunwei process (host ${other.hostname}, pid ${other.pid}) is using this SQLite database. SQLite runs one node only; for several nodes use PostgreSQL (YUNWEI_DATABASE_URL=postgres://…).`,
      );
    }
  }
}
