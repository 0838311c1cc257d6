import { formatCheckMessage } from '@yunwei/contracts/check-messages';
import type { CheckResult, CheckSettingsOf, CheckType } from '@yunwei/contracts/checks';
import { DEFAULT_OUTBOUND, type OutboundGuard } from '../../platform/net/outbound-policy.js';
import { seriesRef, type PreparedSample, type SeriesRef } from '../monitoring/series.js';
import { probeOf } from './probes/index.js';
import { CounterMemory, down, failure, say, type ProbeMessage, type ProbeOutcome } from './probes/probe.js';

/** What a run needs to know about a check (settings with their secrets opened). */
export interface RunnableCheck<T extends CheckType = CheckType> {
  id: string;
  type: T;
  ciId: string | null;
  timeoutMs: number;
  settings: CheckSettingsOf[T];
}

export interface RunOutput {
  result: CheckResult;
  samples: PreparedSample[];
}

/** At most this many values are kept with a result (an SNMP switch may have hundreds of ports: the store has them all). */
const MAX_RESULT_VALUES = 200;
const MAX_MESSAGE = 1000;

/** The labels every sample of a check carries (the cross-part contract): check, type, and ci when attached. */
export function checkLabels(check: Pick<RunnableCheck, 'id' | 'type' | 'ciId'>): Record<string, string> {
  return check.ciId ? { check: check.id, type: check.type, ci: check.ciId } : { check: check.id, type: check.type };
}

function valueKey(metric: string, labels: Record<string, string> | undefined): string {
  const entries = Object.entries(labels ?? {});
  return entries.length ? `${metric}{${entries.map(([k, v]) => `${k}=${v}`).join(',')}}` : metric;
}

/**
 * Runs one check under a hard deadline: when `timeoutMs` passes (or `stop` aborts) the result is
 * DOWN at once, whatever the probe is still waiting for — its signal is aborted so it lets go of
 * sockets and processes, and the caller's concurrency slot is free again. Never throws. Every
 * connection goes through `outbound` (the configured policy; by default nothing is refused).
 */
export async function runCheck(check: RunnableCheck, memory: CounterMemory, stop?: AbortSignal, outbound: OutboundGuard = DEFAULT_OUTBOUND.guard('check')): Promise<RunOutput> {
  const at = Date.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onStop: (() => void) | undefined;
  const deadline = new Promise<ProbeOutcome>((resolve) => {
    const expire = (message: ProbeMessage) => {
      controller.abort(new Error(message.code));
      resolve(down(message));
    };
    timer = setTimeout(() => expire(say('run.timedOut', { ms: check.timeoutMs })), check.timeoutMs);
    onStop = () => expire(say('run.cancelled'));
    if (stop?.aborted) {
      onStop();
    }
    stop?.addEventListener('abort', onStop, { once: true });
  });
  let outcome: ProbeOutcome;
  try {
    const probe = probeOf(check.type);
    outcome = await Promise.race([
      probe.run({ settings: check.settings as never, timeoutMs: check.timeoutMs, signal: controller.signal, memory, outbound }).catch((error: unknown) => down(failure(error))),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
    if (onStop) {
      stop?.removeEventListener('abort', onStop);
    }
    // Whatever the probe left open goes now (it may have answered late, past the deadline).
    controller.abort(new Error('run finished'));
  }

  const labels = checkLabels(check);
  const samples: PreparedSample[] = [];
  const values: Record<string, number> = {};
  const add = (metric: string, value: number, extra?: Record<string, string>) => {
    if (!Number.isFinite(value)) {
      return;
    }
    const series = seriesRef(metric, { ...extra, ...labels });
    if ('key' in series) {
      samples.push({ series: series as SeriesRef, ts: at, value });
    }
    if (Object.keys(values).length < MAX_RESULT_VALUES) {
      values[valueKey(metric, extra)] = value;
    }
  };
  add('check_up', outcome.up ? 1 : 0);
  if (outcome.latencyMs !== null) {
    add('check_latency_seconds', outcome.latencyMs / 1000);
  }
  for (const s of outcome.samples) {
    add(s.metric, s.value, s.labels);
  }
  const result: CheckResult = { checkId: check.id, at, status: outcome.up ? 'up' : 'down', latencyMs: outcome.latencyMs, ...messageFields(outcome.message), values };
  return { result, samples };
}

/** A result's message: the code and its parameters, and the English text beside them (for older readers, searches, logs). */
export function messageFields(message: ProbeMessage | null): Pick<CheckResult, 'message' | 'messageCode' | 'messageParams'> {
  if (!message) {
    return { message: null, messageCode: null, messageParams: null };
  }
  return { message: formatCheckMessage(message.code, message.params, 'en')!.slice(0, MAX_MESSAGE), messageCode: message.code, messageParams: message.params };
}

/** Counter memories per check id (rates between runs); forgotten when a check goes away. */
export class MemoryBank {
  readonly #memories = new Map<string, CounterMemory>();

  of(checkId: string): CounterMemory {
    let memory = this.#memories.get(checkId);
    if (!memory) {
      memory = new CounterMemory();
      this.#memories.set(checkId, memory);
    }
    return memory;
  }

  keepOnly(ids: ReadonlySet<string>): void {
    for (const id of this.#memories.keys()) {
      if (!ids.has(id)) {
        this.#memories.delete(id);
      }
    }
  }
}
