// Server child of the api bench: the real Yunwei app (every plugin, hook and module), configured
// from the YUNWEI_* environment the parent sets, listening on 127.0.0.1 on a random port.
import { buildApp } from '../../apps/server/src/app.js';
import { loadConfig } from '../../apps/server/src/config/config.js';
import { announceReady } from '../lib/server-process.js';

const yunwei = await buildApp({ config: loadConfig(process.env, { host: '127.0.0.1', port: 0, webDir: '' }), announce: () => undefined });
await yunwei.app.listen({ host: '127.0.0.1', port: 0 });
yunwei.jobs.start();
const address = yunwei.app.server.address();
announceReady(typeof address === 'object' && address ? address.port : 0, () => yunwei.close());
