import type { FastifyInstance, FastifyBaseLogger, RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Migration } from 'kysely';
import type { LocalizedText } from '@yunwei/contracts/i18n';
import type { PermissionDefinition } from '@yunwei/contracts/access';
import type { Config } from '../config/config.js';
import type { Db } from '../db/database.js';
import type { DialectName } from '../db/dialect.js';
import type { AuditWriter } from './audit/audit-writer.js';
import type { EventBus } from './events.js';
import type { JobDefinition, JobQueue } from './jobs/job-runner.js';
import type { Cluster } from './cluster/cluster.js';
import type { PermissionRegistry } from './permission-registry.js';
import type { SecretBox } from './crypto.js';
import type { FileStore } from './file-store.js';

/** The Fastify instance modules register routes on (TypeBox-typed). */
export type YunweiApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

/** What a module gets from the platform. Services are built from it; nothing global. */
export interface ModuleContext {
  config: Config;
  db: Db;
  dialect: DialectName;
  audit: AuditWriter;
  events: EventBus;
  jobs: JobQueue;
  /** Shares background work between the nodes on one database: `singleton` (one node runs it) or `owns(key)` (spread). */
  cluster: Cluster;
  permissions: PermissionRegistry;
  /** Uploaded files and generated reports: a directory every node of a cluster shares (YUNWEI_FILES_DIR). */
  files: FileStore;
  /** AES-256-GCM under the master key, for secrets at rest. */
  secrets: SecretBox;
  log: FastifyBaseLogger;
  /** A message for the person at the console (e.g. the one-time admin password), not the log. */
  announce: (message: string) => void;
}

/**
 * One module of Yunwei: everything the app needs to compose it. Adding a module is one folder
 * with one of these, and one line in `modules/index.ts`.
 */
export interface ModuleDefinition {
  /** Also the first segment of its permission ids. */
  id: string;
  name: LocalizedText;
  /** Skill ids of the standard this module serves (shown in the capability matrix). */
  skills: readonly string[];
  permissions: readonly PermissionDefinition[];
  /** Sortable names `YYYY-MM-DD-HHMM-what`; never edited after they land. */
  migrations?: Readonly<Record<string, Migration>>;
  routes?: (app: YunweiApp, ctx: ModuleContext) => void | Promise<void>;
  jobs?: (ctx: ModuleContext) => readonly JobDefinition[];
  /** Runs once after migrations at every start (seed data, repairs). */
  onStart?: (ctx: ModuleContext) => Promise<void>;
}

export function defineModule(definition: ModuleDefinition): ModuleDefinition {
  for (const p of definition.permissions) {
    if (!p.id.startsWith(`${definition.id}.`)) {
      throw new Error(`module ${definition.id}: permission ${p.id} must start with "${definition.id}."`);
    }
  }
  return definition;
}
