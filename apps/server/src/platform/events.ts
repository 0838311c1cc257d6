import { EventEmitter } from 'node:events';

/**
 * Events modules publish. Modules add theirs by declaration merging:
 *   declare module '../../platform/events.js' { interface EventMap { 'incident.opened': {...} } }
 */
export interface EventMap {
  'audit.recorded': { action: string; targetType: string; targetId: string | null };
  /** A sign-in attempt ended (a password step awaiting its TOTP code is not counted yet). */
  'identity.login': { outcome: 'success' | 'failure'; reason: string | null };
  'identity.user.locked': { userId: string };
}

type Handler<K extends keyof EventMap> = (payload: EventMap[K]) => void | Promise<void>;

/**
 * The in-process event bus. A failing handler is logged and never breaks the publisher.
 * (Cluster mode will fan events out through PostgreSQL LISTEN/NOTIFY behind this same interface.)
 */
export class EventBus {
  readonly #emitter = new EventEmitter({ captureRejections: false });

  constructor(private readonly onError: (error: unknown, event: string) => void) {
    this.#emitter.setMaxListeners(100);
  }

  on<K extends keyof EventMap>(event: K, handler: Handler<K>): () => void {
    const wrapped = (payload: EventMap[K]) => {
      try {
        Promise.resolve(handler(payload)).catch((error: unknown) => this.onError(error, event));
      } catch (error) {
        this.onError(error, event);
      }
    };
    this.#emitter.on(event, wrapped);
    return () => this.#emitter.off(event, wrapped);
  }

  emit<K extends keyof EventMap>(event: K, payload: EventMap[K]): void {
    this.#emitter.emit(event, payload);
  }
}
