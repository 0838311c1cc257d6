import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';

/**
 * The data directory (0700), the SQLite database with its -wal / -shm / -journal files and the master
 * key (0600) hold every secret of the installation: other accounts of the machine must not read them.
 * New ones are created private; existing ones that others could read (an older version, a restore, a
 * copy with `cp`) are tightened, and the caller logs it so an administrator learns it happened.
 */
export interface ModeFix {
  path: string;
  /** Octal modes, e.g. '644' → '600'. */
  from: string;
  to: string;
  /** Set when the mode could not be changed (not the file's owner): then `to` equals `from`. */
  error?: string;
}

export type OnModeFix = (fix: ModeFix) => void;

/** For callers without a logger (the CLI): one line on stderr. */
export const reportModeFixOnStderr: OnModeFix = (fix) => {
  process.stderr.write(
    fix.error
      ? `yunwei: ${fix.path} is readable by other users (mode ${fix.from}) and could not be tightened: ${fix.error}\n`
      : `yunwei: ${fix.path} was readable by other users (mode ${fix.from}): now ${fix.to}\n`,
  );
};

/** Windows has no Unix modes (chmod only toggles read-only): protection there is the folder's ACL. */
const HAS_UNIX_MODES = process.platform !== 'win32';

/** Creates `dir` (and missing parents) 0700, or tightens it when others may enter or read it. */
export function ensurePrivateDir(dir: string, onFix: OnModeFix = reportModeFixOnStderr): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  tighten(dir, onFix);
}

/** Creates `file` empty with 0600 when missing (so a library opening it later keeps the mode), else tightens it. */
export function ensurePrivateFile(file: string, onFix: OnModeFix = reportModeFixOnStderr): void {
  closeSync(openSync(file, 'a', 0o600));
  tighten(file, onFix);
}

/** Tightens `file` when it exists; does nothing otherwise. */
export function tightenIfExists(file: string, onFix: OnModeFix = reportModeFixOnStderr): void {
  tighten(file, onFix);
}

function tighten(target: string, onFix: OnModeFix): void {
  if (!HAS_UNIX_MODES) {
    return;
  }
  let mode: number;
  try {
    mode = statSync(target).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return;
    }
    throw error;
  }
  if ((mode & 0o077) === 0) {
    return;
  }
  // Keep the owner's bits (a read-only key stays read-only); drop the group's and others'.
  const wanted = mode & 0o700;
  try {
    chmodSync(target, wanted);
    onFix({ path: target, from: octal(mode), to: octal(wanted) });
  } catch (error) {
    onFix({ path: target, from: octal(mode), to: octal(mode), error: (error as Error).message });
  }
}

const octal = (mode: number) => mode.toString(8).padStart(3, '0');
