import { buildApp } from './app.js';
import type { Config } from './config/config.js';

/** Starts Yunwei: build → listen → jobs → stop cleanly on SIGINT/SIGTERM. */
export async function serve(config: Config): Promise<void> {
  const yunwei = await buildApp({ config });
  const { app } = yunwei;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    app.log.info({ signal }, 'stopping');
    await yunwei.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  await app.listen({ host: config.host, port: config.port });
  yunwei.jobs.start();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  process.stdout.write(`Yunwei (运维) is running at http://${config.host}:${port}  — database: ${yunwei.ctx.dialect}\n`);
}
