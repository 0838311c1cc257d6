import fastifyWebsocket from '@fastify/websocket';
import type { FastifyRequest } from 'fastify';
import { LIVE_LIMITS } from '@yunwei/contracts/dashboards';
import { MONITORING_PERMISSIONS as P } from '@yunwei/contracts/monitoring';
import { sendError } from '../../platform/http/error-handler.js';
import { actorOf } from '../../platform/http/request-actor.js';
import type { ModuleContext, YunweiApp } from '../../platform/module.js';
import { ciIdFor } from './ci-mapping.js';
import { LiveHub } from './live.js';
import type { MonitoringRuntime } from './runtime.js';

/**
 * True when a browser's Origin names this server (or there is no Origin: not a browser). The socket
 * is authenticated by the session cookie, which the browser sends from any page; the Origin check is
 * what stops another site from reading metrics through a visitor's session (no CSRF token on a GET).
 */
export function sameOrigin(req: FastifyRequest): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) {
    return true;
  }
  try {
    return new URL(origin).host === req.host;
  } catch {
    return false;
  }
}

/**
 * GET /api/monitoring/live: samples as they are committed, for the selectors the client subscribes
 * to. The platform guard authenticates the upgrade request (session cookie or token) and checks
 * `monitoring.metric.read` before the upgrade happens; a refusal is a plain HTTP 401/403.
 */
/** How often an open socket checks that its session still exists (sign-out, revocation, expiry); tests shorten it. */
export const liveTiming = { sessionRecheckMs: 30_000 };
/** Close code sent when the session behind a socket has ended (4000–4999: application codes). */
export const CLOSE_SESSION_ENDED = 4401;

/** True while the session is neither revoked nor past its absolute expiry (read only: no touch). */
async function sessionAlive(ctx: Pick<ModuleContext, 'db'>, sessionId: string): Promise<boolean> {
  const row = await ctx.db.selectFrom('session').select(['revoked_at', 'expires_at']).where('id', '=', sessionId).executeTakeFirst();
  return row !== undefined && row.revoked_at === null && Number(row.expires_at) > Date.now();
}

export async function liveRoutes(app: YunweiApp, ctx: ModuleContext, m: MonitoringRuntime): Promise<void> {
  // One WebSocket server per app: other modules registering routes with `websocket: true` reuse it.
  if (!app.hasDecorator('websocketServer')) {
    await app.register(fastifyWebsocket, { options: { maxPayload: LIVE_LIMITS.messageBytes } });
    // An upgrade refused by the auth guard (401/403 from onRequest, before the plugin marks the request)
    // would leave its socket open: Node no longer tracks upgraded sockets, so close it once answered.
    app.addHook('onResponse', async (req) => {
      if (req.raw.headers.upgrade !== undefined && !req.raw.socket.destroyed) {
        req.raw.socket.destroy();
      }
    });
  }
  const hub = new LiveHub((listener) => m.peers.committedAnywhere(listener), (metric, labels) => ciIdFor(m.rules, metric, labels));
  const scopes = m.queries.scopes;

  app.get(
    '/api/monitoring/live',
    {
      websocket: true,
      config: { permission: P.metricRead },
      schema: { tags: ['monitoring'], summary: 'Live samples over WebSocket: send {"subscribe":[{"id","selector"}]}, receive {"id","series":[{"labels","points":[[ms,value]]}]}' },
      preHandler: async (req, reply) => {
        if (!sameOrigin(req)) {
          return sendError(reply, 'YW_FORBIDDEN', { reason: 'origin', origin: req.headers.origin ?? null });
        }
      },
    },
    (socket, req) => {
      const actor = actorOf(req);
      const restricted = scopes.units(actor) !== null;
      // Only series the reader's metric scope reaches (CIs moved between units are picked up at each recheck).
      const conn = hub.open(socket, restricted ? scopes.filterFor(actor) : null);
      // The upgrade was authorised once; a socket must not outlive the session that opened it.
      const sessionId = req.auth?.via === 'session' ? req.auth.actor.sessionId : undefined;
      const recheck =
        sessionId || restricted
          ? setInterval(() => {
              if (restricted) {
                scopes
                  .filterFor(actor)
                  .then((filter) => conn.setVisibility(filter))
                  .catch((error: unknown) => req.log.warn({ err: error }, 'live socket: scope refresh failed'));
              }
              if (sessionId) {
                sessionAlive(ctx, sessionId)
                  .then((alive) => (alive ? undefined : socket.close(CLOSE_SESSION_ENDED, 'session ended')))
                  .catch((error: unknown) => req.log.warn({ err: error }, 'live socket: session check failed'));
              }
            }, liveTiming.sessionRecheckMs)
          : undefined;
      // Binary frames are read as text too: anything but a JSON message is answered with an error.
      socket.on('message', (data) => conn.receive(data.toString()));
      socket.on('close', () => {
        clearInterval(recheck);
        hub.closeConnection(conn);
      });
    },
  );
}
