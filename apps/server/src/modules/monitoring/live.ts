import { Ajv } from 'ajv';
import { LIVE_LIMITS, LiveClientMessage, type LiveServerMessage } from '@yunwei/contracts/dashboards';
import type { CommitListener } from './ingest.service.js';
import type { SeriesFilter } from './metric-scope.js';
import { parseSelector, SelectorError, seriesMatches, type Matcher } from './selector.js';
import { promMetric, type PreparedSample } from './series.js';

/** What a connection needs of its socket (a `ws` WebSocket; a fake in unit tests). */
export interface LiveSocket {
  readonly bufferedAmount: number;
  readonly readyState: number;
  send(data: string): void;
}

export interface LiveOptions {
  /** Points held for a socket that reads too slowly; beyond this the oldest are dropped. */
  maxQueued?: number;
  /** Bytes the socket may have unsent before the connection stops sending and queues instead. */
  highWaterBytes?: number;
  /** Samples committed within this window go out in one message per subscription. */
  flushMs?: number;
}

const OPEN = 1;
const RETRY_MS = 100;
/** Series keys → matching subscriptions remembered; cleared past this (cheap to rebuild). */
const MAX_ROUTES = 100_000;

interface Subscription {
  selector: string;
  matchers: Matcher[];
}

interface Queued {
  sub: string;
  key: string;
  metric: string;
  labels: Readonly<Record<string, string>>;
  ts: number;
  value: number;
}

const validateMessage = new Ajv({ allErrors: false, strict: false }).compile(LiveClientMessage);

/**
 * One live socket: its subscriptions and the points waiting to be sent. Points are sent in batches
 * (one message per subscription, points grouped by series); while the socket has more than
 * `highWaterBytes` unsent, points queue up to `maxQueued`, then the oldest are dropped and the client
 * is told how many (`{"dropped": n}`) before the next points.
 */
export class LiveConnection {
  readonly subscriptions = new Map<string, Subscription>();
  /** The series (by CI) the reader's data scope lets through; null = all. */
  #visible: SeriesFilter = null;
  #queue: Queued[] = [];
  #dropped = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly #opts: Required<LiveOptions>;

  constructor(
    private readonly socket: LiveSocket,
    private readonly onChange: () => void,
    options: LiveOptions = {},
  ) {
    this.#opts = { maxQueued: LIVE_LIMITS.queuedPoints, highWaterBytes: 1024 * 1024, flushMs: 50, ...options };
  }

  get queued(): number {
    return this.#queue.length;
  }

  /** Handles one client message; refusals are answered on the socket, never thrown. */
  receive(text: string): void {
    if (text.length > LIVE_LIMITS.messageBytes) {
      return this.#send({ error: { id: null, selector: null, message: `message longer than ${LIVE_LIMITS.messageBytes} bytes` } });
    }
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return this.#send({ error: { id: null, selector: null, message: 'not valid JSON' } });
    }
    if (!validateMessage(message)) {
      const first = validateMessage.errors?.[0];
      return this.#send({ error: { id: null, selector: null, message: `invalid message: ${first?.instancePath || '/'} ${first?.message ?? ''}`.trim() } });
    }
    const m = message as LiveClientMessage;
    for (const id of m.unsubscribe ?? []) {
      this.subscriptions.delete(id);
    }
    for (const { id, selector } of m.subscribe ?? []) {
      let matchers: Matcher[];
      try {
        matchers = parseSelector(selector);
      } catch (error) {
        if (error instanceof SelectorError) {
          this.#send({ error: { id, selector, message: error.message } });
          continue;
        }
        throw error;
      }
      if (!this.subscriptions.has(id) && this.subscriptions.size >= LIVE_LIMITS.subscriptions) {
        this.#send({ error: { id, selector, message: `at most ${LIVE_LIMITS.subscriptions} subscriptions per socket` } });
        continue;
      }
      this.subscriptions.set(id, { selector, matchers });
    }
    // Points already queued for a removed subscription are not sent.
    this.#queue = this.#queue.filter((q) => this.subscriptions.has(q.sub));
    this.onChange();
    this.#send({ subscribed: [...this.subscriptions.keys()] });
  }

  /** Sets the reader's data scope; the hub's remembered routes are rebuilt. */
  setVisibility(visible: SeriesFilter): void {
    this.#visible = visible;
    this.onChange();
  }

  /** The ids of this connection's subscriptions a series (of CI `ciId`) matches; none outside the reader's scope. */
  matching(metric: string, labels: Readonly<Record<string, string>>, ciId: string | null = null): string[] {
    const out: string[] = [];
    if (this.#visible !== null && !this.#visible(ciId)) {
      return out;
    }
    for (const [id, sub] of this.subscriptions) {
      if (seriesMatches(sub.matchers, metric, labels)) {
        out.push(id);
      }
    }
    return out;
  }

  enqueue(sub: string, sample: PreparedSample): void {
    this.#queue.push({ sub, key: sample.series.key, metric: sample.series.metric, labels: sample.series.labels, ts: sample.ts, value: sample.value });
    // Trim in chunks so a flood costs one splice per 10 % of the queue, not one per point.
    if (this.#queue.length > this.#opts.maxQueued * 1.1) {
      const excess = this.#queue.length - this.#opts.maxQueued;
      this.#queue.splice(0, excess);
      this.#dropped += excess;
    }
    this.#schedule(this.#opts.flushMs);
  }

  /** Sends what is queued if the socket keeps up; otherwise tries again shortly. */
  flush(): void {
    this.#timer = undefined;
    if (this.socket.readyState !== OPEN) {
      return;
    }
    if (this.socket.bufferedAmount > this.#opts.highWaterBytes) {
      if (this.#queue.length > this.#opts.maxQueued) {
        const excess = this.#queue.length - this.#opts.maxQueued;
        this.#queue.splice(0, excess);
        this.#dropped += excess;
      }
      return this.#schedule(RETRY_MS);
    }
    if (this.#dropped > 0) {
      this.#send({ dropped: this.#dropped });
      this.#dropped = 0;
    }
    const bySub = new Map<string, Map<string, { labels: Record<string, string>; points: [number, number][] }>>();
    for (const q of this.#queue) {
      let series = bySub.get(q.sub);
      if (!series) {
        series = new Map();
        bySub.set(q.sub, series);
      }
      let one = series.get(q.key);
      if (!one) {
        one = { labels: promMetric(q.metric, q.labels), points: [] };
        series.set(q.key, one);
      }
      one.points.push([q.ts, q.value]);
    }
    this.#queue = [];
    for (const [id, series] of bySub) {
      this.#send({
        id,
        series: [...series.values()].map((s) => ({ labels: s.labels, points: s.points.sort((a, b) => a[0] - b[0]) })),
      });
    }
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#queue = [];
  }

  #schedule(ms: number): void {
    this.#timer ??= setTimeout(() => this.flush(), ms);
  }

  #send(message: LiveServerMessage): void {
    if (this.socket.readyState === OPEN) {
      this.socket.send(JSON.stringify(message));
    }
  }
}

/**
 * Fans committed samples out to the live sockets. It listens to ingestion (on every node of a
 * cluster) only while a socket is open; which subscriptions a series matches is remembered per series key (reset whenever a
 * subscription changes), so the cost per sample is one map lookup.
 */
export class LiveHub {
  readonly #connections = new Set<LiveConnection>();
  #routes = new Map<string, { conn: LiveConnection; sub: string }[]>();
  #unlisten: (() => void) | null = null;

  constructor(
    /** Where committed samples come from (this node's and, in a cluster, the others'). */
    private readonly samples: (listener: CommitListener) => () => void,
    /** The CI of a series (the mapping ingestion applies), for the connections' data scopes. */
    private readonly ciOf: (metric: string, labels: Readonly<Record<string, string>>) => string | null,
    private readonly options: LiveOptions = {},
  ) {}

  get size(): number {
    return this.#connections.size;
  }

  /**
   * A connection seeing the series `visible` lets through. While a scope is still being resolved, only
   * series without a CI are sent (never more than the reader may see).
   */
  open(socket: LiveSocket, visible: SeriesFilter | Promise<SeriesFilter>): LiveConnection {
    const conn = new LiveConnection(socket, () => this.#routes.clear(), this.options);
    if (visible instanceof Promise) {
      conn.setVisibility((ciId) => ciId === null);
      visible.then((filter) => conn.setVisibility(filter)).catch(() => undefined);
    } else {
      conn.setVisibility(visible);
    }
    this.#connections.add(conn);
    this.#unlisten ??= this.samples((samples) => this.#deliver(samples));
    return conn;
  }

  closeConnection(conn: LiveConnection): void {
    conn.close();
    this.#connections.delete(conn);
    this.#routes.clear();
    if (this.#connections.size === 0 && this.#unlisten) {
      this.#unlisten();
      this.#unlisten = null;
    }
  }

  #deliver(samples: readonly PreparedSample[]): void {
    for (const s of samples) {
      let targets = this.#routes.get(s.series.key);
      if (!targets) {
        targets = [];
        const ciId = this.ciOf(s.series.metric, s.series.labels);
        for (const conn of this.#connections) {
          for (const sub of conn.matching(s.series.metric, s.series.labels, ciId)) {
            targets.push({ conn, sub });
          }
        }
        if (this.#routes.size >= MAX_ROUTES) {
          this.#routes.clear();
        }
        this.#routes.set(s.series.key, targets);
      }
      for (const t of targets) {
        t.conn.enqueue(t.sub, s);
      }
    }
  }
}
