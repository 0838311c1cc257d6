import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** A key: relative path segments of letters, digits, `.`, `_`, `-` (never `..`, never absolute). */
const SEGMENT = /^(?!\.\.?$)[\w.-]{1,200}$/;

/**
 * Files Yunwei keeps outside the database — uploaded photos and attachments, generated reports,
 * the audit anchors — under one directory (`YUNWEI_FILES_DIR`, by default the data directory). In a
 * cluster every node mounts the same directory (NFS, a NAS share), so a file one node stored is there
 * for the node that serves the next request; a node's own data directory holds nothing others need.
 *
 * Writes are atomic (a temporary file renamed into place): another node reads the whole file or
 * none of it.
 */
export class FileStore {
  constructor(readonly root: string) {}

  /** The file of `key` on this node's mount (for streaming). Throws on a key that could leave the root. */
  pathOf(key: string): string {
    const segments = key.split('/');
    if (!segments.every((s) => SEGMENT.test(s))) {
      throw new Error(`not a file key: ${JSON.stringify(key)}`);
    }
    return path.join(this.root, ...segments);
  }

  async put(key: string, body: Buffer): Promise<void> {
    const file = this.pathOf(key);
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const temporary = `${file}.${randomUUID()}.tmp`;
    try {
      await writeFile(temporary, body, { mode: 0o600 });
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  /** The file's bytes, or null when there is none. */
  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return null;
      }
      throw error;
    }
  }

  async remove(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }
}
