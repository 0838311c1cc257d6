import { readFileSync } from 'node:fs';

/** This server's release, as its package says (shown in the cluster's node list and the API docs). */
export const YUNWEI_VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
