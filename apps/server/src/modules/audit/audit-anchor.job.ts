import path from 'node:path';
import type { Config } from '../../config/config.js';
import type { JobDefinition } from '../../platform/jobs/job-runner.js';
import type { ModuleContext } from '../../platform/module.js';

export const ANCHOR_JOB = 'audit.anchor-export';

/** Where the signed heads go: YUNWEI_AUDIT_ANCHOR_FILE, or `<filesDir>/audit-anchors.jsonl` (shared by the nodes of a cluster). */
export function anchorFileOf(config: Config): string {
  return config.auditAnchorFile ? path.resolve(config.auditAnchorFile) : path.join(config.filesDir, 'audit-anchors.jsonl');
}

/** A cron firing every `minutes` when it divides the hour or the day; otherwise every minute, paced by the last export. */
export function anchorCron(minutes: number): string {
  if (minutes < 60 && 60 % minutes === 0) {
    return `*/${minutes} * * * *`;
  }
  if (minutes % 60 === 0 && 24 % (minutes / 60) === 0) {
    return `0 */${minutes / 60} * * *`;
  }
  return '* * * * *';
}

/**
 * Exports the signed head every YUNWEI_AUDIT_ANCHOR_INTERVAL_MINUTES, through the durable job queue:
 * a tick claimed by one node runs once, and a tick enqueued by two nodes at once finds the other's
 * export (under the chain lock) and writes nothing. Each anchor also goes to the log as one line, for
 * a syslog / journald copy.
 */
export function anchorJobs(ctx: Pick<ModuleContext, 'config' | 'audit' | 'log'>): JobDefinition[] {
  const minutes = ctx.config.auditAnchorIntervalMinutes;
  if (minutes <= 0) {
    return [];
  }
  // Half a minute of slack: ticks of one schedule land a few seconds early or late on different nodes.
  const minIntervalMs = Math.max(0, minutes * 60_000 - 30_000);
  return [
    {
      name: ANCHOR_JOB,
      cron: anchorCron(minutes),
      maxAttempts: 1,
      leaseMs: 5 * 60_000,
      run: async () => {
        const anchor = await ctx.audit.exportAnchor(anchorFileOf(ctx.config), minIntervalMs);
        if (anchor) {
          ctx.log.info({ auditAnchor: anchor }, 'audit chain head exported');
        }
      },
    },
  ];
}
