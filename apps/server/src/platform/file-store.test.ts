import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileStore } from './file-store.js';

describe('file store', () => {
  const roots: string[] = [];
  const store = () => {
    const root = mkdtempSync(path.join(tmpdir(), 'yw-files-'));
    roots.push(root);
    return new FileStore(root);
  };
  afterEach(() => roots.splice(0).forEach((root) => rmSync(root, { recursive: true, force: true })));

  it('stores, reads and removes a file by its key, leaving no temporary file behind', async () => {
    const files = store();
    await files.put('inspection-photos/rec-1/photo.jpg', Buffer.from('jpeg bytes'));
    expect((await files.get('inspection-photos/rec-1/photo.jpg'))?.toString()).toBe('jpeg bytes');
    await files.put('inspection-photos/rec-1/photo.jpg', Buffer.from('replaced'));
    expect((await files.get('inspection-photos/rec-1/photo.jpg'))?.toString()).toBe('replaced');
    expect(readdirSync(path.join(files.root, 'inspection-photos/rec-1'))).toEqual(['photo.jpg']);
    await files.remove('inspection-photos/rec-1/photo.jpg');
    expect(await files.get('inspection-photos/rec-1/photo.jpg')).toBeNull();
  });

  it('refuses a key that could leave its directory', async () => {
    const files = store();
    for (const key of ['../master.key', 'a/../../etc/passwd', '/etc/passwd', 'a//b', '', 'a/./b', 'a\\b']) {
      await expect(files.put(key, Buffer.from('x')), key).rejects.toThrow(/not a file key/);
      expect(() => files.pathOf(key), key).toThrow(/not a file key/);
    }
  });
});
