import { ALERT_ID_LABELS, ALERT_NAME_LABELS } from '@yunwei/contracts/alerting';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Shown elsewhere by name (object, business system, rule) or ids people do not read. */
const NOT_SHOWN = new Set<string>([...ALERT_ID_LABELS, ...ALERT_NAME_LABELS]);

/** The labels people read, as `key=value`: ids (and the names shown on their own) left out. */
export function readableLabels(labels: Readonly<Record<string, string>>): string[] {
  return Object.entries(labels)
    .filter(([k, v]) => !NOT_SHOWN.has(k) && !UUID.test(v))
    .map(([k, v]) => `${k}=${v}`);
}
