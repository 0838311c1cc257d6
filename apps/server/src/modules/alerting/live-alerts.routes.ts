import type { WebSocket } from 'ws';
import { ALERTING_PERMISSIONS as P, type LiveAlertMessage } from '@yunwei/contracts/alerting';
import { inScope, systemActor, type Actor } from '../../platform/actor.js';
import { sendError } from '../../platform/http/error-handler.js';
import { actorOf } from '../../platform/http/request-actor.js';
import type { ModuleContext, YunweiApp } from '../../platform/module.js';
import { sameOrigin } from '../monitoring/live.routes.js';
import type { AlertsRuntime } from './alerts-runtime.js';

/** A socket that has this much unsent is skipped (the client re-reads the list when it reconnects). */
const HIGH_WATER_BYTES = 1 << 20;

/**
 * GET /api/alerting/live: every alert change as `{ type: 'alert', alert }`, pushed after the commit.
 * Authenticated by the platform guard before the upgrade (session or token, `alerting.alert.read`),
 * Origin checked like the monitoring live socket. The WebSocket plugin is registered by monitoring.
 */
export function liveAlertRoutes(app: YunweiApp, ctx: ModuleContext, runtime: AlertsRuntime): void {
  // Each socket with the actor that opened it: an alert goes only to those whose scope reaches its CI.
  const sockets = new Map<WebSocket, Actor>();
  const system = systemActor('alerting-live');
  ctx.events.on('alerting.alert.changed', async ({ alertId }) => {
    if (sockets.size === 0) {
      return;
    }
    const alert = await runtime.alerts.get(system, alertId).catch(() => null);
    if (!alert) {
      return;
    }
    const unit = await runtime.alerts.repo.unitOf(alert.ciId);
    const { events: _events, ...summary } = alert;
    const message = JSON.stringify({ type: 'alert', alert: summary } satisfies LiveAlertMessage);
    for (const [socket, actor] of sockets) {
      if (socket.readyState === socket.OPEN && socket.bufferedAmount < HIGH_WATER_BYTES && (alert.ciId === null || inScope(actor, P.alertRead, unit))) {
        socket.send(message);
      }
    }
  });

  app.get(
    '/api/alerting/live',
    {
      websocket: true,
      config: { permission: P.alertRead },
      schema: { tags: ['alerting'], summary: 'Live alert changes over WebSocket: receive {"type":"alert","alert":{…}} per change' },
      preHandler: async (req, reply) => {
        if (!sameOrigin(req)) {
          return sendError(reply, 'YW_FORBIDDEN', { reason: 'origin', origin: req.headers.origin ?? null });
        }
      },
    },
    (socket, req) => {
      sockets.set(socket, actorOf(req));
      socket.on('close', () => sockets.delete(socket));
    },
  );
}
