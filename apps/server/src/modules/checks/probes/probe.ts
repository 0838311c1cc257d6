import type { CheckMessageCode, CheckMessageParams } from '@yunwei/contracts/check-messages';
import type { CheckSettingsOf, CheckType } from '@yunwei/contracts/checks';
import type { RuleProblem } from '../../../platform/typed-settings.js';
import type { OutboundGuard } from '../../../platform/net/outbound-policy.js';

/** One value a probe measured, besides up and latency (e.g. `db_connections`, `snmp_if_oper_up{ifname}`). */
export interface ProbeSample {
  metric: string;
  /** Labels of this value only (`ifname`, `storage`, `cpu`); the check's own labels are added by the runner. */
  labels?: Record<string, string>;
  value: number;
}

/** What a probe says about a run: a code of `CHECK_MESSAGES` and its parameters (rendered in each reader's language). */
export interface ProbeMessage {
  code: CheckMessageCode;
  params: CheckMessageParams;
}

/** What one run of a probe found. A target that does not answer is `up: false` with a message, never a throw. */
export interface ProbeOutcome {
  up: boolean;
  /** How long the probe's main exchange took (connect, request, round trip), when it got that far. */
  latencyMs: number | null;
  message: ProbeMessage | null;
  samples: ProbeSample[];
}

/** Counters remembered between runs of one check, to turn them into per-second rates. */
export class CounterMemory {
  readonly #last = new Map<string, { value: number; at: number }>();

  /**
   * The per-second rate of `key` since the previous run, or null on the first run, after a reset
   * (the counter went down) or when no time passed. `wrapAt` (2^32 for Counter32) lets one wrap through.
   */
  rate(key: string, value: number, at: number, wrapAt?: number): number | null {
    const previous = this.#last.get(key);
    this.#last.set(key, { value, at });
    if (!previous || at <= previous.at) {
      return null;
    }
    let delta = value - previous.value;
    if (delta < 0) {
      if (wrapAt === undefined || previous.value < wrapAt / 2) {
        return null;
      }
      delta += wrapAt;
    }
    return delta / ((at - previous.at) / 1000);
  }

  /** Forgets keys not seen in the latest run (interfaces that went away). */
  keepOnly(keys: ReadonlySet<string>): void {
    for (const key of this.#last.keys()) {
      if (!keys.has(key)) {
        this.#last.delete(key);
      }
    }
  }
}

export interface ProbeRun<S> {
  /** Settings with their secrets opened. */
  settings: S;
  timeoutMs: number;
  /** Aborted when the run times out or the server stops: release sockets and child processes. */
  signal: AbortSignal;
  memory: CounterMemory;
  /** The outbound network policy of checks: resolve and connect through it (see platform/net). */
  outbound: OutboundGuard;
}

/**
 * One kind of check. Adding a type is one file `<type>.probe.ts` exporting a Probe and one line in
 * `probes/index.ts` (see CONTRIBUTING.md, "Recipe: add a check type").
 */
export interface Probe<T extends CheckType = CheckType> {
  type: T;
  /** What it probes, in one line, for lists (`tcp://db1:5432`). */
  target(settings: CheckSettingsOf[T]): string;
  /** Rules the settings schema cannot express; returns [field under settings, message in both languages] or null. */
  validate?(settings: CheckSettingsOf[T]): RuleProblem | null;
  run(run: ProbeRun<CheckSettingsOf[T]>): Promise<ProbeOutcome>;
}

/** Longest text kept in a message parameter (a server's error text can be long). */
const MAX_PARAM = 500;

export function say(code: CheckMessageCode, params: CheckMessageParams = {}): ProbeMessage {
  const bounded: CheckMessageParams = {};
  for (const [key, value] of Object.entries(params)) {
    bounded[key] = typeof value === 'string' ? value.slice(0, MAX_PARAM) : value;
  }
  return { code, params: bounded };
}

export function down(message: ProbeMessage, latencyMs: number | null = null, samples: ProbeSample[] = []): ProbeOutcome {
  return { up: false, latencyMs, message, samples };
}

export function up(message: ProbeMessage, latencyMs: number | null, samples: ProbeSample[] = []): ProbeOutcome {
  return { up: true, latencyMs, message, samples };
}

/** Milliseconds as messages show them: one decimal. */
export function ms(value: number): number {
  return Math.round(value * 10) / 10;
}

/** The code of a connection error people recognise (by the system's error code), else the plain `error`. */
const NET_CODES: Record<string, CheckMessageCode> = {
  ECONNREFUSED: 'net.refused',
  ENOTFOUND: 'net.notFound',
  EAI_AGAIN: 'net.notFound',
  EAI_NONAME: 'net.notFound',
  ETIMEDOUT: 'net.timeout',
  EHOSTUNREACH: 'net.unreachable',
  ENETUNREACH: 'net.unreachable',
  EHOSTDOWN: 'net.unreachable',
  ECONNRESET: 'net.reset',
  EPIPE: 'net.reset',
  EOUTBOUND_REFUSED: 'net.denied',
};

/** What went wrong, as a message: refused, not found, unreachable, … with what the system said. */
export function failure(error: unknown): ProbeMessage {
  const e = error as { code?: string; cause?: { code?: string } };
  const code = e?.code ?? e?.cause?.code;
  return say((code && NET_CODES[code]) || 'error', { detail: reasonOf(error) });
}

/** Milliseconds since `start` (a performance.now() value), rounded to 0.001. */
export function since(start: number): number {
  return Math.round((performance.now() - start) * 1000) / 1000;
}

/** The message of an error, with its code when the message does not already say it (ECONNREFUSED, …). */
export function reasonOf(error: unknown): string {
  const e = error as { message?: string; code?: string; cause?: { code?: string } };
  const message = e?.message || String(error);
  const code = e?.code ?? e?.cause?.code;
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

/** Settles when the signal aborts (rejects with its reason): race it against calls that take no signal. */
export function abortion(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}
