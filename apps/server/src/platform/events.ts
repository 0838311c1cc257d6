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

/** What the event bus needs of the cluster to reach the other nodes (see platform/cluster). */
export interface EventPeers {
  publish(topic: string, payload: unknown): Promise<void>;
  subscribe(topic: string, handler: (payload: unknown) => void): () => void;
}

const PEER_TOPIC = 'events';

/**
 * The event bus. A failing handler is logged and never breaks the publisher. Events a module marks
 * `share`d also reach the handlers on the other nodes of a cluster (PostgreSQL NOTIFY): keep their
 * payloads small — ids to fetch —, and treat them as "look again", since a node that is reconnecting
 * may miss one.
 */
export class EventBus {
  readonly #emitter = new EventEmitter({ captureRejections: false });
  readonly #shared = new Set<string>();
  #peers: EventPeers | undefined;

  constructor(private readonly onError: (error: unknown, event: string) => void) {
    this.#emitter.setMaxListeners(100);
  }

  /** Joins the cluster's messages: shared events go out to the other nodes, and theirs come in. */
  connect(peers: EventPeers): void {
    this.#peers = peers;
    peers.subscribe(PEER_TOPIC, (message) => {
      const { e, p } = message as { e: string; p: unknown };
      if (this.#shared.has(e)) {
        this.#emitter.emit(e, p);
      }
    });
  }

  /** Handlers on every node hear this event (e.g. a browser connected to another node sees an alert change). */
  share(event: keyof EventMap): void {
    this.#shared.add(event);
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
    if (this.#peers && this.#shared.has(event)) {
      this.#peers.publish(PEER_TOPIC, { e: event, p: payload }).catch((error: unknown) => this.onError(error, event));
    }
  }
}
