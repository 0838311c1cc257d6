import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { HostInventoryData } from '@yunwei/contracts/agents';
import type { AgentConfig } from './config.ts';
import { DiskBuffer } from './disk-buffer.ts';
import { postJson, type Outcome } from './http-client.ts';
import { inventoryFingerprint } from './inventory/fingerprint.ts';
import { log } from './log.ts';
import { Collector } from './metrics/collector.ts';
import type { Sample } from './metrics/sample.ts';
import { selfCommand } from './self.ts';
import { VERSION } from './version.ts';

export interface RunOptions {
  config: AgentConfig;
  stateDir: string;
  intervalSeconds: number;
  bufferMaxBytes: number;
  /** A full inventory is sent at least this often (default 1 h)… */
  inventoryIntervalSeconds: number;
  /** …and checked for changes this often (a cheap fingerprint; the full collection only when it moved). */
  inventoryCheckSeconds: number;
  /** Collects the inventory (default: a child process, so the resident agent stays small). */
  collectInventory?: () => Promise<HostInventoryData>;
  /** The sysfs class tree hardware status is read from (default /sys/class). */
  sysClass?: string;
}

/** The most samples in one POST (the server takes 50,000). */
const MAX_PER_POST = 20_000;

/** Runs `yunwei-agent inventory` and parses its JSON output. */
function inventoryInChild(): Promise<HostInventoryData> {
  // The agent this process was started as (bin/yunwei-agent.mjs, the bundle or the executable).
  const self = selfCommand();
  return new Promise((resolve, reject) => {
    const child = spawn(self.node ?? self.bin, [...(self.node ? [self.bin] : []), 'inventory'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-2000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`inventory collection exited with ${code}: ${err.trim()}`));
        return;
      }
      try {
        resolve(JSON.parse(Buffer.concat(out).toString('utf8')) as HostInventoryData);
      } catch (error) {
        reject(error as Error);
      }
    });
  });
}

/**
 * The agent's loop: every interval, collect and send; when the server cannot be reached, samples
 * go to the disk buffer and are replayed oldest first once it answers again (nothing newer is sent
 * before what is buffered). One request at a time, so the order on the wire is the order of collection.
 */
export class AgentRunner {
  readonly #opts: RunOptions;
  readonly #collector: Collector;
  readonly #buffer: DiskBuffer;
  /** Batches collected but not yet sent or buffered (newer than everything in the buffer). */
  #pending: Sample[][] = [];
  #pumping = false;
  #outage: { since: number; reason: string } | null = null;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #done: () => void = () => undefined;
  #fatal: Error | null = null;
  // inventory
  #inventoryBusy = false;
  #nextInventoryCheck = 0;
  #nextFullInventory = 0;
  #lastFingerprint = '';
  #lastInventoryHash = '';

  constructor(options: RunOptions) {
    this.#opts = options;
    this.#collector = new Collector(options.sysClass);
    this.#buffer = new DiskBuffer(path.join(options.stateDir, 'buffer'), {
      maxBytes: options.bufferMaxBytes,
      onDrop: (samples, total) => log('warn', 'buffer full: oldest samples dropped', { dropped: samples, droppedTotal: total, maxBytes: options.bufferMaxBytes }),
    });
  }

  /** Runs until `stop()` (resolves) or until the server refuses the credential (rejects). */
  run(): Promise<void> {
    this.#collector.prime();
    const started = Date.now();
    const step = this.#opts.intervalSeconds * 1000;
    log('info', 'agent running', { server: this.#opts.config.server, agent: this.#opts.config.agentId, interval: this.#opts.intervalSeconds, buffered: this.#buffer.bytes });
    let k = 0;
    const schedule = () => {
      if (this.#stopped) {
        return;
      }
      // Ticks stay on the grid of the start time: no drift; missed ticks (a suspended VM) are skipped.
      k = Math.max(k + 1, Math.ceil((Date.now() - started) / step));
      this.#timer = setTimeout(() => {
        this.#tick();
        schedule();
      }, started + k * step - Date.now());
    };
    schedule();
    void this.#checkInventory();
    return new Promise((resolve, reject) => {
      this.#done = () => (this.#fatal ? reject(this.#fatal) : resolve());
    });
  }

  /** Stops collecting; what was collected and not sent is written to the buffer (replayed at the next start). */
  stop(): void {
    if (this.#stopped) {
      return;
    }
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#spill();
    this.#done();
  }

  #tick(): void {
    this.#pending.push(this.#collector.collect());
    void this.#pump();
    void this.#checkInventory();
  }

  #spill(): void {
    for (const batch of this.#pending) {
      this.#buffer.append(batch);
    }
    this.#pending = [];
  }

  async #send(samples: readonly Sample[]): Promise<Outcome> {
    let last: Outcome = { kind: 'ok', body: null };
    for (let i = 0; i < samples.length && last.kind === 'ok'; i += MAX_PER_POST) {
      last = await postJson(
        this.#opts.config.server,
        '/api/agent/metrics',
        // The local remote-exec policy rides on every push, so the server can say whether commands will run here.
        { version: VERSION, intervalSeconds: this.#opts.intervalSeconds, remoteExec: this.#opts.config.remoteExec?.enabled === true, samples: samples.slice(i, i + MAX_PER_POST) },
        { bearer: this.#opts.config.credential },
      );
    }
    return last;
  }

  /** Sends the buffer (oldest first), then what is pending. Stops at the first failure. */
  async #pump(): Promise<void> {
    if (this.#pumping || this.#stopped) {
      return;
    }
    this.#pumping = true;
    try {
      let replayed = 0;
      for (let segment = this.#buffer.oldest(); segment; segment = this.#buffer.oldest()) {
        const outcome = await this.#send(segment.samples);
        if (!this.#handled(outcome, segment.samples.length)) {
          this.#spill();
          return;
        }
        this.#buffer.remove(segment);
        replayed += segment.samples.length;
      }
      if (replayed) {
        log('info', 'buffer replayed', { samples: replayed });
      }
      while (this.#pending.length && !this.#stopped) {
        const batches = this.#pending.splice(0, this.#pending.length);
        const outcome = await this.#send(batches.flat());
        if (!this.#handled(outcome, batches.reduce((n, b) => n + b.length, 0))) {
          this.#pending.unshift(...batches);
          this.#spill();
          return;
        }
      }
    } finally {
      this.#pumping = false;
    }
  }

  /** True when the samples are done with (stored, or refused for good); false to keep them. */
  #handled(outcome: Outcome, count: number): boolean {
    switch (outcome.kind) {
      case 'ok':
        if (this.#outage) {
          log('info', 'server reachable again', { downForSeconds: Math.round((Date.now() - this.#outage.since) / 1000) });
          this.#outage = null;
        }
        return true;
      case 'rejected':
        // Resending would be refused again: drop them rather than block everything behind them.
        log('error', 'server refused samples: dropped', { status: outcome.status, samples: count, reason: outcome.reason });
        return true;
      case 'unauthorized':
        this.#fatal = new Error(`the server refuses this agent's credential (${outcome.reason}): revoked? enrol again`);
        log('error', this.#fatal.message);
        this.stop();
        return false;
      case 'unreachable':
        if (!this.#outage) {
          this.#outage = { since: Date.now(), reason: outcome.reason };
          log('warn', 'server unreachable: buffering samples on disk', { reason: outcome.reason });
        }
        return false;
    }
  }

  async #checkInventory(): Promise<void> {
    const now = Date.now();
    if (this.#inventoryBusy || this.#stopped || now < this.#nextInventoryCheck) {
      return;
    }
    this.#inventoryBusy = true;
    this.#nextInventoryCheck = now + this.#opts.inventoryCheckSeconds * 1000;
    try {
      const fingerprint = inventoryFingerprint();
      if (fingerprint === this.#lastFingerprint && now < this.#nextFullInventory) {
        return;
      }
      const inventory = await (this.#opts.collectInventory ?? inventoryInChild)();
      this.#collector.smart = smartOf(inventory);
      const hash = createHash('sha256').update(JSON.stringify(inventory)).digest('hex');
      if (hash === this.#lastInventoryHash && now < this.#nextFullInventory) {
        this.#lastFingerprint = fingerprint;
        return;
      }
      const outcome = await postJson(this.#opts.config.server, '/api/agent/inventory', { collectedAt: now, inventory }, { bearer: this.#opts.config.credential, timeoutMs: 60_000 });
      if (outcome.kind === 'ok') {
        this.#lastFingerprint = fingerprint;
        this.#lastInventoryHash = hash;
        this.#nextFullInventory = now + this.#opts.inventoryIntervalSeconds * 1000;
        log('info', 'inventory sent', { packages: inventory.packages.length, ci: (outcome.body as { ciId?: string } | null)?.ciId });
      } else if (outcome.kind === 'unauthorized') {
        this.#handled(outcome, 0);
      } else {
        // Sent again at the next check: an inventory is a state, not a series, so it is not buffered.
        log('warn', 'inventory not sent', { reason: outcome.reason });
      }
    } catch (error) {
      log('warn', 'inventory collection failed', { reason: (error as Error).message });
    } finally {
      this.#inventoryBusy = false;
    }
  }
}

/** SMART verdicts of the inventory's disks ('unknown' ones are left out: not exposed). */
export function smartOf(inventory: HostInventoryData): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const d of inventory.disks) {
    const status = d.smartStatus.toLowerCase();
    if (status === 'ok' || status === 'passed') {
      out.set(d.device, true);
    } else if (status.includes('fail')) {
      out.set(d.device, false);
    }
  }
  return out;
}
