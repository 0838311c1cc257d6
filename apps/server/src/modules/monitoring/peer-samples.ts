import type { Cluster } from '../../platform/cluster/cluster.js';
import { CLUSTER_MESSAGE_MAX_BYTES } from '../../platform/cluster/cluster.js';
import { seriesRef, type PreparedSample, type SeriesRef } from '../monitoring/series.js';

/** The topic on which nodes send the samples they stored to the node that evaluates alert rules. */
export const PEER_SAMPLES_TOPIC = 'alerting.samples';

/** One series' samples in a message: metric, canonical labels JSON, timestamps, values. */
type Packed = [string, string, number[], number[]];

/** Room left for the envelope ({"n":<node id>,"t":<topic>,"p":…}). */
const ROOM = CLUSTER_MESSAGE_MAX_BYTES - 200;

/**
 * Sends a committed batch to the evaluating node, grouped by series and cut into messages that fit a
 * NOTIFY. The samples are stored already: a message lost on the way delays nothing but this node's
 * contribution to one evaluation (the evaluator also reads the store when it starts or its rules change).
 */
export async function sendPeerSamples(cluster: Cluster, samples: readonly PreparedSample[]): Promise<void> {
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
      await cluster.publish(PEER_SAMPLES_TOPIC, message);
      message = [];
      size = 2;
    }
    message.push(packed);
    size += bytes;
  }
  if (message.length) {
    await cluster.publish(PEER_SAMPLES_TOPIC, message);
  }
}

/** The samples of a peer's message (anything malformed is left out). */
export function receivePeerSamples(payload: unknown): PreparedSample[] {
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
