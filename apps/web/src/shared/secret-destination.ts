/**
 * Stored secrets never follow a new destination: when a channel's or a check's host, port or URL
 * changes, the server drops the secrets not entered again in the same save and says which
 * (`secretsDropped`). The forms warn before saving and say afterwards what was cleared.
 */

/** Absent, null and false mean the same, as the server compares them (a switch left off). */
function norm(value: unknown): string | undefined {
  return value === undefined || value === null || value === false ? undefined : JSON.stringify(value);
}

/** True when one of `fields` in the values about to be sent differs from the stored ones. */
export function destinationChanged(fields: readonly string[], stored: Readonly<Record<string, unknown>>, next: Readonly<Record<string, unknown>>): boolean {
  return fields.some((field) => norm(stored[field]) !== norm(next[field]));
}

/** True when at least one secret is stored (a destination change would drop it). */
export function hasStoredSecrets(secretsSet: Readonly<Record<string, boolean>>): boolean {
  return Object.values(secretsSet).some(Boolean);
}
