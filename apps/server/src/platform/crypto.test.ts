import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { hashPassword, SecretBox, verifyPassword } from './crypto.js';

describe('crypto', () => {
  it('seals and opens secrets, and detects tampering', () => {
    const box = new SecretBox(randomBytes(32));
    const sealed = box.seal('口令 s3cret');
    expect(sealed).not.toContain('s3cret');
    expect(box.open(sealed)).toBe('口令 s3cret');
    const parts = sealed.split(':');
    parts[3] = Buffer.from('x' + Buffer.from(parts[3]!, 'base64url').toString('latin1')).toString('base64url');
    expect(() => box.open(parts.join(':'))).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed)).toThrow();
  });

  it('hashes passwords with argon2id', async () => {
    const hash = await hashPassword('Correct-horse-1');
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(hash, 'Correct-horse-1')).toBe(true);
    expect(await verifyPassword(hash, 'wrong')).toBe(false);
    expect(await verifyPassword('garbage', 'x')).toBe(false);
  });
});
