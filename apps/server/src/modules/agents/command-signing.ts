import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { signedCommandText, type CommandPayload } from '@yunwei/contracts/agent-commands';
import type { Db } from '../../db/database.js';
import type { SecretBox } from '../../platform/crypto.js';

const KEY_ID = 'server';

/** The server's signing key: the public half is handed to agents, the private half never leaves the server. */
export interface CommandKey {
  /** SPKI DER, base64: what agents pin. */
  publicKey: string;
  /** sha-256 of the public key's DER, hex: to compare keys by eye. */
  fingerprint: string;
  sign(payload: CommandPayload): string;
}

export function keyFingerprint(publicKeyBase64: string): string {
  return createHash('sha256').update(Buffer.from(publicKeyBase64, 'base64')).digest('hex');
}

function commandKey(publicKey: string, privateKey: KeyObject): CommandKey {
  return {
    publicKey,
    fingerprint: keyFingerprint(publicKey),
    sign: (payload) => sign(null, Buffer.from(signedCommandText(payload), 'utf8'), privateKey).toString('base64'),
  };
}

/**
 * The server's Ed25519 key pair for signing agent commands, created once and stored in the database
 * (private key sealed with the master key) so every node of a cluster signs with the same key. Nodes
 * starting together both generate one; the insert that lands first wins (insert-if-absent) and
 * everybody reads back the stored pair.
 */
export class CommandSigning {
  #key: Promise<CommandKey> | undefined;

  constructor(
    private readonly db: Db,
    private readonly secrets: SecretBox,
  ) {}

  /** `db`: the transaction when called inside one (SQLite has one connection). */
  key(db: Db = this.db): Promise<CommandKey> {
    this.#key ??= this.#load(db).catch((error: unknown) => {
      this.#key = undefined;
      throw error;
    });
    return this.#key;
  }

  async #load(db: Db): Promise<CommandKey> {
    let row = await db.selectFrom('agent_command_key').selectAll().where('id', '=', KEY_ID).executeTakeFirst();
    if (!row) {
      const pair = generateKeyPairSync('ed25519');
      await db
        .insertInto('agent_command_key')
        .values({
          id: KEY_ID,
          public_key: pair.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
          private_key_sealed: this.secrets.seal(pair.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64')),
          created_at: Date.now(),
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      row = await db.selectFrom('agent_command_key').selectAll().where('id', '=', KEY_ID).executeTakeFirstOrThrow();
    }
    const privateKey = createPrivateKey({ key: Buffer.from(this.secrets.open(row.private_key_sealed), 'base64'), format: 'der', type: 'pkcs8' });
    // The stored public key must be the private key's own (a swapped row would make every command fail to verify).
    const derived = createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).toString('base64');
    if (derived !== row.public_key) {
      throw new Error('agent_command_key: the public key does not match the private key');
    }
    return commandKey(row.public_key, privateKey);
  }
}
