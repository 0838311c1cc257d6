import { readdirSync, readFileSync } from 'node:fs';

/** CPU time (user + system, ms) of each thread of a process, by thread id, from /proc (Linux; empty elsewhere). */
export function threadCpuMs(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        out.set(Number(tid), ((Number(fields[11]) + Number(fields[12])) * 1000) / 100);
      } catch {
        // the thread ended between the listing and the read
      }
    }
  } catch {
    // not Linux, or the process is gone
  }
  return out;
}

export interface ThreadSplit {
  /** % of one core over the window: the main (event-loop) thread, the busiest other thread (Yunwei: the SQLite sample writer), the rest (GC helpers, libuv). */
  mainPct: number;
  busiestOtherPct: number;
  restPct: number;
  /** Main-thread CPU per million samples (s): what HTTP, decoding and validation cost. */
  mainCpuSecPerMSamples: number | null;
}

/** Splits the CPU a process used between two `threadCpuMs` readings. */
export function threadSplit(pid: number, before: Map<number, number>, after: Map<number, number>, windowMs: number, samples: number): ThreadSplit {
  let main = 0;
  let busiest = 0;
  let rest = 0;
  for (const [tid, ms] of after) {
    const used = ms - (before.get(tid) ?? 0);
    if (tid === pid) {
      main = used;
    } else if (used > busiest) {
      rest += busiest;
      busiest = used;
    } else {
      rest += used;
    }
  }
  const pct = (ms: number) => Math.round((ms / windowMs) * 100);
  return { mainPct: pct(main), busiestOtherPct: pct(busiest), restPct: pct(rest), mainCpuSecPerMSamples: samples ? Math.round((main / samples) * 1000 * 100) / 100 : null };
}
