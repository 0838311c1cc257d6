/**
 * What the server signs of an agent command, apart from the schemas (no TypeBox) so the agent's
 * bundle carries only this: Ed25519 over the UTF-8 of `signedCommandText`.
 */

/** What the server signs (Ed25519 over `signedCommandText`). */
export interface CommandPayload {
  id: string;
  agentId: string;
  argv: string[];
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs: number;
  issuedAt: number;
  expiresAt: number;
}

/** JSON with keys sorted at every depth and undefined members left out: the bytes a signature covers. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The signed text of a command, UTF-8 encoded before signing (only the payload's fields: never a signature field). */
export function signedCommandText(c: CommandPayload): string {
  const payload: CommandPayload = { id: c.id, agentId: c.agentId, argv: c.argv, cwd: c.cwd, env: c.env, timeoutMs: c.timeoutMs, issuedAt: c.issuedAt, expiresAt: c.expiresAt };
  return canonicalJson(payload);
}
