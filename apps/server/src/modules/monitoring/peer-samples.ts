import type { FastifyBaseLogger } from 'fastify';
import type { Cluster } from '../../platform/cluster/cluster.js';
import { CLUSTER_MESSAGE_MAX_BYTES } from '../../platform/cluster/cluster.js';
import type { CommitListener, IngestService } from './ingest.service.js';
import { seriesRef, type PreparedSample, type SeriesRef } from './series.js';

/** The topic on which a node sends the samples it committed to the nodes that need them. */
const SAMPLES_TOPIC = 'monitoring.samples';
/** "I have live sockets open": sent by such a node every third of the lease while it has them. */
const LIVE_INTEREST_TOPIC = 'monitoring.live-interest';

/** One series' samples in a message: metric, canonical labels JSON, timestamps, values. */
type Packed = [string, string, number[], number[]];

/** Room left for the envelope ({"n":<node id>,"t":<topic>,"p":…}). */
const ROOM = CLUSTER_MESSAGE_MAX_BYTES - 200;

/**
 * Samples between the nodes of a cluster. Ingestion is local (an agent or a remote-write reaches any
 * node), but two consumers need every node's samples as they arrive: the alert evaluator (one node)
 * and the live sockets (on whichever node a browser reached). A node sends what it commits only while
 * one of them is elsewhere — the evaluator is not here (`sendWhile`), or another node said in the last
 * lease that it has live sockets open. On SQLite, or alone, nothing is sent.
 *
 * The samples are stored already when they are sent: a message lost on the way delays a live chart
 * point or one evaluation's view, never the data (the evaluator also reads the store when it starts).
 */
export class PeerSamples {
  readonly #reasons: (() => boolean)[] = [];
  #peerLiveUntil = 0;
  #liveListeners = 0;
  #announcer: NodeJS.Timeout | undefined;

  constructor(
    private readonly cluster: Cluster,
    private readonly ingest: IngestService,
    private readonly log: FastifyBaseLogger,
  ) {
    ingest.onCommitted((samples) => {
      if (this.cluster.hasPeers && (Date.now() < this.#peerLiveUntil || this.#reasons.some((wanted) => wanted()))) {
        sendPeerSamples(this.cluster, samples).catch((error: unknown) => this.log.warn({ err: error }, 'monitoring: samples not sent to the other nodes'));
      }
    });
    cluster.subscribe(LIVE_INTEREST_TOPIC, () => {
      this.#peerLiveUntil = Date.now() + this.cluster.leaseMs;
    });
  }

  /** Also send this node's samples while `wanted()` (e.g. the alert evaluator runs on another node). */
  sendWhile(wanted: () => boolean): void {
    this.#reasons.push(wanted);
  }

  /** The samples the other nodes send. Returns the unsubscribe. */
  fromPeers(listener: CommitListener): () => void {
    return this.cluster.subscribe(SAMPLES_TOPIC, (payload) => listener(receivePeerSamples(payload)));
  }

  /**
   * Samples committed on any node, for the live sockets on this one: this node's as they commit and
   * the others'. While any such listener is subscribed, the other nodes are told (every third of the
   * lease) to send theirs.
   */
  committedAnywhere(listener: CommitListener): () => void {
    const local = this.ingest.onCommitted(listener);
    const peers = this.fromPeers(listener);
    if (this.#liveListeners++ === 0) {
      this.#announce();
    }
    return () => {
      local();
      peers();
      if (--this.#liveListeners === 0) {
        this.close();
      }
    };
  }

  /** Stops telling the other nodes about live sockets (the app is closing). */
  close(): void {
    clearTimeout(this.#announcer);
    this.#announcer = undefined;
  }

  #announce(): void {
    this.cluster.publish(LIVE_INTEREST_TOPIC, null).catch((error: unknown) => this.log.warn({ err: error }, 'monitoring: live interest not announced'));
    this.#announcer = setTimeout(() => this.#announce(), Math.max(50, Math.floor(this.cluster.leaseMs / 3)));
    this.#announcer.unref();
  }
}

/** Sends a committed batch to the other nodes, grouped by series and cut into messages that fit a NOTIFY. */
async function sendPeerSamples(cluster: Cluster, samples: readonly PreparedSample[]): Promise<void> {
  const bySeries = new Map<string, Packed>();
  for (const s of samples) {
    let packed = bySeries.get(s.series.key);
    if (!packed) {
      packed = [s.series.metric, s.series.labelsJson, [], []];
      bySeries.set(s.series.key, packed);
    }
    packed[2].push(s.ts);
    packed[3].push(s.value);
  }
  let message: Packed[] = [];
  let size = 2;
  for (const packed of bySeries.values()) {
    const bytes = Buffer.byteLength(JSON.stringify(packed)) + 1;
    if (bytes > ROOM) {
      continue; // a single series with thousands of samples in one write: the store has them
    }
    if (size + bytes > ROOM) {
      await cluster.publish(SAMPLES_TOPIC, message);
      message = [];
      size = 2;
    }
    message.push(packed);
    size += bytes;
  }
  if (message.length) {
    await cluster.publish(SAMPLES_TOPIC, message);
  }
}

/** The samples of a peer's message (anything malformed is left out). */
function receivePeerSamples(payload: unknown): PreparedSample[] {
  const out: PreparedSample[] = [];
  if (!Array.isArray(payload)) {
    return out;
  }
  for (const item of payload as unknown[]) {
    if (!Array.isArray(item) || item.length !== 4) {
      continue;
    }
    const [metric, labelsJson, ts, values] = item as Packed;
    let labels: Record<string, string>;
    try {
      labels = JSON.parse(labelsJson) as Record<string, string>;
    } catch {
      continue;
    }
    const series = seriesRef(metric, labels);
    if (!('key' in series) || !Array.isArray(ts) || !Array.isArray(values)) {
      continue;
    }
    for (let i = 0; i < ts.length; i++) {
      if (typeof ts[i] === 'number' && typeof values[i] === 'number') {
        out.push({ series: series as SeriesRef, ts: ts[i]!, value: values[i]! });
      }
    }
  }
  return out;
}
