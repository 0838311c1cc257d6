import { existsSync } from 'node:fs';
import path from 'node:path';
import Fastify, { LogController } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config/config.js';
import { openDatabase, type DatabaseHandle } from './db/database.js';
import { createMigrator, migrateExclusively, oneNodeAtATime } from './db/migrator.js';
import { AuditWriter } from './platform/audit/audit-writer.js';
import { auditChainKey } from './platform/audit/audit-hash.js';
import { loadMasterKey, SecretBox } from './platform/crypto.js';
import { EventBus } from './platform/events.js';
import { enforceRouteDeclarations, installAuthGuard, type GuardedRoute } from './platform/http/auth-guard.js';
import { installNoStore } from './platform/http/no-store.js';
import { installErrorHandler, sendError } from './platform/http/error-handler.js';
import './platform/http/fastify-augment.js';
import { installMetrics } from './platform/http/metrics.js';
import { databaseRateLimitStore } from './platform/http/rate-limit-store.js';
import { validatorCompiler } from './platform/http/validation.js';
import { JobRunner } from './platform/jobs/job-runner.js';
import { Cluster, masterKeyCheck } from './platform/cluster/cluster.js';
import { filesMarker } from './platform/cluster/files-marker.js';
import { refuseNewerSchema } from './platform/cluster/schema-version.js';
import { YUNWEI_VERSION } from './platform/version.js';
import type { ModuleContext, ModuleDefinition, YunweiApp } from './platform/module.js';
import { PermissionRegistry } from './platform/permission-registry.js';
import { FileStore } from './platform/file-store.js';
import { ensurePrivateDir, type ModeFix } from './platform/private-files.js';
import { platformModule } from './platform/platform.module.js';
import { MODULES } from './modules/index.js';
import { SessionAuthenticator } from './modules/identity/authenticator.js';

export interface BuildOptions {
  config: Config;
  /** An already open database (tests share one per file); otherwise opened from config. */
  database?: DatabaseHandle;
  modules?: readonly ModuleDefinition[];
  announce?: (message: string) => void;
  /** PostgreSQL schema the app lives in (tests isolate themselves in one): opened with it, migrated in it. */
  pgSchema?: string;
}

export interface Yunwei {
  app: YunweiApp;
  ctx: ModuleContext;
  jobs: JobRunner;
  /** Every guarded route with the permission it needs (the authorization matrix walks these). */
  routes: readonly GuardedRoute[];
  modules: readonly ModuleDefinition[];
  close(): Promise<void>;
}

// Paths served by plugins (Swagger UI) that are public by design.
const PUBLIC_PREFIXES = ['/api/docs'];

/** Composes the platform and the modules into one app. Never listens: main.ts or tests do. */
export async function buildApp(options: BuildOptions): Promise<Yunwei> {
  const { config } = options;
  const modules = [platformModule, ...(options.modules ?? MODULES)];
  // Files of the data directory that others could read are tightened before the logger exists: logged below.
  const modeFixes: ModeFix[] = [];
  const noteModeFix = (fix: ModeFix) => modeFixes.push(fix);
  ensurePrivateDir(config.dataDir, noteModeFix);
  const database = options.database ?? openDatabase({ url: config.databaseUrl, pgSchema: options.pgSchema, onModeFix: noteModeFix });
  const ownsDatabase = !options.database;

  const app = Fastify({
    logger: { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'] },
    trustProxy: config.trustProxy,
    bodyLimit: 1_048_576,
    // Per-request log lines only when debugging; /metrics counts requests anyway.
    logController: new LogController({ disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace' }),
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);

  try {
    // Before the migrations: one of them seals values older versions stored in plain text.
    const secrets = new SecretBox(loadMasterKey(config.masterKey, config.dataDir, noteModeFix));
    for (const fix of modeFixes) {
      app.log.warn(fix, fix.error ? 'a data file is readable by other users and could not be tightened' : 'tightened a data file that other users could read');
    }
    const migrationSets = modules.flatMap((m) => (m.migrations ? [m.migrations] : []));
    const schemaVersion = await refuseNewerSchema(database.db, migrationSets);
    await migrateExclusively(database.db, (db, schema) => createMigrator(db, migrationSets, schema, { secrets }));

    const permissions = new PermissionRegistry();
    for (const m of modules) {
      permissions.register(m);
    }
    const audit = new AuditWriter(database.db, auditChainKey(secrets));
    const cluster = new Cluster(database.db, app.log, { dialect: database.dialect, leaseMs: config.clusterLeaseMs, version: YUNWEI_VERSION, schemaVersion, keyCheck: masterKeyCheck(secrets), listen: database.listen });
    const jobs = new JobRunner(database.db, app.log, config.jobPollMs, cluster);
    const ctx: ModuleContext = {
      config,
      db: database.db,
      dialect: database.dialect,
      audit,
      events: new EventBus((error, event) => app.log.error({ err: error, event }, 'event handler failed')),
      jobs,
      cluster,
      permissions,
      files: new FileStore(config.filesDir),
      secrets,
      log: app.log,
      announce: options.announce ?? ((message) => process.stdout.write(`${message}\n`)),
    };
    ctx.events.connect(cluster);

    await app.register(fastifyCookie);
    await app.register(fastifyHelmet, {
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          // Ant Design injects its CSS-in-JS styles at run time.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          connectSrc: ["'self'"],
          upgradeInsecureRequests: null,
        },
      },
    });
    await app.register(fastifyRateLimit, { global: false, store: databaseRateLimitStore(database.db) });
    installErrorHandler(app);
    const routes = enforceRouteDeclarations(app, permissions, PUBLIC_PREFIXES);
    // A node the others have upgraded past answers nothing (old code on new tables could corrupt data): the load balancer drains it.
    app.addHook('onRequest', async (_req, reply) => {
      if (cluster.outdatedBy !== null) {
        return sendError(reply, 'YW_NODE_OUTDATED', { schemaVersion, newer: cluster.outdatedBy });
      }
    });
    installAuthGuard(app, new SessionAuthenticator(ctx), audit, PUBLIC_PREFIXES);
    installNoStore(app, PUBLIC_PREFIXES);
    installMetrics(app, ctx.events);
    // A process that serves joins the cluster before the modules' own onListen hooks start their work
    // through it; one that only answers injected requests (tests, CLI) runs no background work.
    app.addHook('onListen', async () => {
      await cluster.start();
      await ctx.files.put(filesMarker(cluster.nodeId), Buffer.from(`${cluster.nodeId}\n`));
    });
    app.addHook('onClose', async () => {
      await cluster.stop();
      await ctx.files.remove(filesMarker(cluster.nodeId)).catch(() => undefined);
    });

    await app.register(fastifySwagger, {
      openapi: {
        info: { title: 'Yunwei (运维) API', version: YUNWEI_VERSION, description: 'Every screen of Yunwei is backed by this API. Authenticate with the session cookie (+ x-csrf-token for writes) or `Authorization: Bearer <API token>`.' },
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'yw_session' } } },
        security: [{ bearer: [] }, { session: [] }],
      },
    });
    await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: false });
    app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, () => app.swagger());
    app.get('/api/health', { config: { public: true }, schema: { tags: ['platform'], summary: 'Liveness and database check' } }, async () => {
      await database.db.selectFrom('yunwei_migration' as never).select((eb) => eb.fn.countAll().as('n')).execute();
      return { status: 'ok', database: database.dialect, time: Date.now() };
    });

    for (const m of modules) {
      await m.routes?.(app, ctx);
      for (const job of m.jobs?.(ctx) ?? []) {
        jobs.define(job);
      }
    }
    serveWeb(app, config.webDir);
    await app.ready();
    // Seeds and repairs: nodes starting together take turns (the first seeds, the others find it done).
    await oneNodeAtATime(database.db, 'start', async () => {
      for (const m of modules) {
        await m.onStart?.(ctx);
      }
    });

    return {
      app,
      ctx,
      jobs,
      routes,
      modules,
      async close() {
        await jobs.stop();
        await app.close();
        if (ownsDatabase) {
          await database.close();
        }
      },
    };
  } catch (error) {
    await app.close();
    if (ownsDatabase) {
      await database.close();
    }
    throw error;
  }
}

/**
 * Caching of the web UI's files: the build names everything under assets/ by its content hash, so a
 * browser keeps those for a year without asking again; index.html (which names the current hashes)
 * and the other files are revalidated on every load (ETag → 304), so a new version shows at once.
 */
function webCacheControl(root: string, file: string): string {
  return path.relative(root, file).startsWith(`assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/**
 * The built web UI, with index.html for every other non-API path (client-side routing). The build
 * writes `<file>.br` and `<file>.gz` beside each text file (apps/web/vite-precompress.ts): they are
 * sent as they are to clients that accept them, nothing is compressed per request.
 */
function serveWeb(app: YunweiApp, webDir: string): void {
  const index = path.join(webDir, 'index.html');
  const hasWeb = webDir !== '' && existsSync(index);
  if (hasWeb) {
    const root = path.resolve(webDir);
    void app.register(fastifyStatic, {
      root,
      wildcard: false,
      index: false,
      preCompressed: true,
      // The compressed twins are not URLs of their own: they answer for the file they compress.
      globIgnore: ['**/*.br', '**/*.gz'],
      cacheControl: false,
      setHeaders: (reply, file) => void reply.header('cache-control', webCacheControl(root, file)),
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0]!;
    // Client-side routes get index.html; a missing file (a stale /assets/x.js after a rebuild) is a 404.
    const isFile = /\.[a-z0-9]+$/i.test(url) || url.startsWith('/assets/');
    const isPage = request.method === 'GET' || request.method === 'HEAD';
    if (hasWeb && isPage && !isFile && !url.startsWith('/api/') && url !== '/metrics') {
      return reply.type('text/html').sendFile('index.html');
    }
    return sendError(reply, 'YW_ROUTE_NOT_FOUND', { method: request.method, url });
  });
}
