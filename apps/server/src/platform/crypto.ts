import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import { ensurePrivateDir, type OnModeFix, tightenIfExists } from './private-files.js';

/** URL-safe random secret. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

// argon2id, OWASP's second recommended setting (19 MiB, 2 passes, 1 lane).
const ARGON2 = { algorithm: 2 as const, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return argonHash(password, ARGON2);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argonVerify(hash, password);
  } catch {
    return false;
  }
}

/**
 * AES-256-GCM for secrets at rest (vault passwords, channel tokens, backup keys, TOTP seeds).
 * Output: `v1:<iv>:<tag>:<ciphertext>`, base64url parts.
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) {
      throw new Error('the master key must be 32 bytes');
    }
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join(':');
  }

  /**
   * A 32-byte key for another purpose (HKDF-SHA256 of the master key, `label` as the info), so that
   * one secret outside the database keys several things without one key serving two purposes.
   */
  deriveKey(label: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.key, Buffer.alloc(0), `yunwei:${label}`, 32));
  }

  open(sealed: string): string {
    const [version, iv, tag, data] = sealed.split(':');
    if (version !== 'v1' || !iv || !tag || data === undefined) {
      throw new Error('not a sealed secret');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }
}

/**
 * The master key from config, or `<dataDir>/master.key`: created with mode 0600 (in a 0700 directory)
 * on first start, tightened to 0600 when an existing one is readable by others (`onModeFix` is told).
 */
export function loadMasterKey(configured: string | undefined, dataDir: string, onModeFix?: OnModeFix): Buffer {
  if (configured) {
    return Buffer.from(configured, 'hex');
  }
  const file = path.join(dataDir, 'master.key');
  if (existsSync(file)) {
    tightenIfExists(file, onModeFix);
  } else {
    ensurePrivateDir(dataDir, onModeFix);
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  }
  const hex = readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/i.test(hex)) {
    throw new Error(`${file} is not a 64-hex-digit key`);
  }
  return Buffer.from(hex, 'hex');
}
