/** One line per event on stderr (journald adds the time when run as a service; we add it for terminals). */
export function log(level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown> = {}): void {
  const extra = Object.entries(fields)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  process.stderr.write(`${new Date().toISOString()} ${level} ${message}${extra ? ` ${extra}` : ''}\n`);
}
