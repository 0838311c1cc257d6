/**
 * The server's rule between a check's interval and its timeout (`checkTimeout` in the checks module):
 * a probe may take at most the interval, so the timeout is at most `intervalSeconds × 1000` ms.
 */
export function timeoutCeilingMs(intervalSeconds: number): number {
  return intervalSeconds * 1000;
}

/** The timeout lowered to the interval when the interval became shorter than it; otherwise unchanged. */
export function clampTimeout(intervalSeconds: unknown, timeoutMs: unknown): number | undefined {
  if (typeof intervalSeconds !== 'number' || typeof timeoutMs !== 'number') {
    return undefined;
  }
  return Math.min(timeoutMs, timeoutCeilingMs(intervalSeconds));
}
