import type { FastifyRequest } from 'fastify';
import type { Actor } from '../actor.js';
import { AppError } from '../errors.js';

/** The authenticated actor of a guarded route (the guard has already refused anonymous calls). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.auth) {
    throw new AppError('YW_AUTH_REQUIRED');
  }
  return request.auth.actor;
}
