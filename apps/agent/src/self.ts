import path from 'node:path';

/**
 * Set by the build (scripts/build.mjs, esbuild `define`): 'bundle' in yunwei-agent.mjs, 'executable'
 * in the single executable application. Not defined when the sources run through tsx.
 */
declare const __YUNWEI_AGENT_FORM__: 'bundle' | 'executable' | undefined;

export type AgentForm = 'source' | 'bundle' | 'executable';

/** How this agent is being run: from the TypeScript sources, as the one-file bundle, or as the executable. */
export const AGENT_FORM: AgentForm = typeof __YUNWEI_AGENT_FORM__ === 'undefined' ? 'source' : __YUNWEI_AGENT_FORM__;

/**
 * The command that starts this same agent again (for the inventory child process and the systemd unit).
 * Under node the script is `process.argv[1]` (bin/yunwei-agent.mjs or the bundle); the executable is its
 * own program and takes no script argument — its argv[1] is only the name it was called by.
 */
export function selfCommand(): { node: string | null; bin: string } {
  if (AGENT_FORM === 'executable') {
    return { node: null, bin: process.execPath };
  }
  return { node: process.execPath, bin: path.resolve(process.argv[1]!) };
}
