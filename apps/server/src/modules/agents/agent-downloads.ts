import { createReadStream, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { FastifyRequest } from 'fastify';
import { AgentFileParams } from '@yunwei/contracts/agents';
import { AppError } from '../../platform/errors.js';
import type { ModuleContext, YunweiApp } from '../../platform/module.js';

/** The agent's workspace: its install script (a template) and what `npm run build:agent` writes to dist/. */
const AGENT_APP = path.resolve(import.meta.dirname, '../../../../agent');
export const AGENT_DIST_DIR = path.join(AGENT_APP, 'dist');
const INSTALL_TEMPLATE = path.join(AGENT_APP, 'install.sh');
const SERVER_PLACEHOLDER = '@@YUNWEI_SERVER_URL@@';

/**
 * An address safe to write between single quotes in a shell script: scheme, host (name or IPv6 literal),
 * port, path. Anything else (a forged Host header) leaves the script without a default: it then asks for --server.
 */
const SAFE_URL = /^https?:\/\/(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?(?:\/[A-Za-z0-9._~/-]*)?$/;

/** Where hosts reach this server: the configured public address, else the address this request came to. */
export function serverUrlFor(configured: string | undefined, request: Pick<FastifyRequest, 'protocol' | 'host'>): string {
  const url = (configured ?? `${request.protocol}://${request.host}`).replace(/\/+$/, '');
  return SAFE_URL.test(url) ? url : '';
}

/** The install script with this server's address as its default `--server`. The token is never in it. */
export function installScript(template: string, serverUrl: string): string {
  return template.replace(SERVER_PLACEHOLDER, serverUrl);
}

/** The files of the last build (SHA256SUMS: `<sha256>  <name>` per line); 503 when nothing was built. */
function builtFiles(distDir: string): { sums: string; names: Set<string> } {
  let sums: string;
  try {
    sums = readFileSync(path.join(distDir, 'SHA256SUMS'), 'utf8');
  } catch {
    throw new AppError('YW_AGENT_NOT_BUILT', { command: 'npm run build:agent' });
  }
  return { sums, names: new Set(sums.split('\n').flatMap((line) => (/^[0-9a-f]{64} {2}(\S+)$/.exec(line)?.[1] ?? []) as string[])) };
}

/**
 * `/agent/*`: what a host needs to install the agent, public like `POST /api/agent/enroll` (a host has no
 * account; the one-time token goes to the script as its argument, never into what is served here).
 * `install.sh`, `SHA256SUMS`, and the files it lists: `yunwei-agent.mjs` (node ≥ 20) and the single
 * executable for this server's platform. Rate-limited: a host fetches three files once.
 */
export function agentDownloadRoutes(app: YunweiApp, ctx: ModuleContext, distDir = AGENT_DIST_DIR): void {
  const tags = ['agents'];
  const config = { public: true, rateLimit: { max: 120, timeWindow: '1 minute' } } as const;
  const template = readFileSync(INSTALL_TEMPLATE, 'utf8');

  app.get(
    '/agent/install.sh',
    { config, schema: { tags, summary: 'The agent install script (POSIX sh): curl -fsSL <server>/agent/install.sh | sh -s -- --token ywe_…' } },
    (req, reply) => reply.type('text/x-shellscript; charset=utf-8').send(installScript(template, serverUrlFor(ctx.config.publicUrl, req))),
  );
  app.get('/agent/SHA256SUMS', { config, schema: { tags, summary: 'SHA-256 of every agent file (sha256sum -c format)' } }, (_req, reply) =>
    reply.type('text/plain; charset=utf-8').send(builtFiles(distDir).sums),
  );
  app.get(
    '/agent/:file',
    { config, schema: { tags, summary: 'An agent file listed in SHA256SUMS: yunwei-agent.mjs, yunwei-agent-<platform>-<arch>', params: AgentFileParams } },
    (req, reply) => {
      const { file } = req.params;
      if (!builtFiles(distDir).names.has(file)) {
        throw new AppError('YW_AGENT_DOWNLOAD_NOT_FOUND', { field: 'params.file', file });
      }
      const full = path.join(distDir, file);
      return reply
        .type(file.endsWith('.mjs') ? 'text/javascript; charset=utf-8' : 'application/octet-stream')
        .header('content-length', statSync(full).size)
        .header('content-disposition', `attachment; filename="${file}"`)
        .send(createReadStream(full));
    },
  );
}
