import type { FastifyInstance } from 'fastify';
import { isGuardedPath } from './auth-guard.js';

/**
 * Every answer of the API and of `/metrics` carries `Cache-Control: no-store`, set last (onSend), so
 * that no route can forget it: an authenticated page, an export or a photo must not stay in the
 * browser's disk cache or a shared proxy after sign-out. The few public API answers (login, health)
 * get it too — they carry session cookies and CSRF tokens. The web UI's static files and the Swagger
 * UI (`publicPrefixes`) keep their own caching.
 */
export function installNoStore(app: FastifyInstance, publicPrefixes: readonly string[]): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const url = request.routeOptions.url ?? request.url.split('?')[0]!;
    if (isGuardedPath(url) && !publicPrefixes.some((p) => url.startsWith(p))) {
      void reply.header('cache-control', 'no-store');
    }
    return payload;
  });
}
