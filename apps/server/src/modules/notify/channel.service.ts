import { uuidv7 } from 'uuidv7';
import { NOTIFY_LIMITS, type ChannelType, type NotifyChannel, type NotifyChannelCreate, type NotifyChannelList, type NotifyChannelListQuery, type NotifyChannelUpdate, type NotifyLocale } from '@yunwei/contracts/notify';
import { fromJson, toJson } from '../../db/dialect.js';
import type { Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { channelOf } from '../../platform/notify/channels/index.js';
import { prepareConfig, secretsSet, shownConfig, type Secrets } from './channel-config.js';
import { NotifyRepository } from './notify.repository.js';
import type { NotifyChannelTable } from './notify.tables.js';

/** A channel's configuration as the audit trail records it: which secrets are set, never their values (header values neither). */
function auditView(row: NotifyChannelTable, secrets: Secrets) {
  return {
    name: row.name,
    type: row.type,
    config: shownConfig(row.type as ChannelType, fromJson<Record<string, unknown>>(row.config), secrets),
    secretsSet: secretsSet(row.type as ChannelType, secrets),
    locale: row.locale,
    enabled: row.enabled === 1,
    isDefault: row.is_default === 1,
    ratePerMinute: row.rate_per_minute,
    maxAttempts: row.max_attempts,
  };
}

/** Notification channels: list, read, create, change, delete (audited; secrets sealed, never returned). */
export class ChannelService {
  readonly repo: NotifyRepository;

  constructor(private readonly ctx: Pick<ModuleContext, 'db' | 'audit' | 'secrets'>) {
    this.repo = new NotifyRepository(ctx.db);
  }

  openSecrets(sealed: string | null): Secrets {
    return sealed ? (JSON.parse(this.ctx.secrets.open(sealed)) as Secrets) : {};
  }

  #seal(secrets: Secrets): string | null {
    return Object.keys(secrets).length ? this.ctx.secrets.seal(JSON.stringify(secrets)) : null;
  }

  /** For `secretsSet` only: a secret that cannot be opened (master key changed) still counts as set. */
  #secretsOf(row: NotifyChannelTable): Secrets {
    try {
      return this.openSecrets(row.secrets);
    } catch {
      return Object.fromEntries(channelOf(row.type as ChannelType).secretFields.map((f) => [f, '?']));
    }
  }

  view(row: NotifyChannelTable): NotifyChannel {
    const type = row.type as ChannelType;
    const secrets = this.#secretsOf(row);
    return {
      id: row.id,
      name: row.name,
      type,
      config: shownConfig(type, fromJson<Record<string, unknown>>(row.config), secrets),
      secretsSet: secretsSet(type, secrets),
      locale: row.locale as NotifyLocale,
      enabled: row.enabled === 1,
      isDefault: row.is_default === 1,
      ratePerMinute: row.rate_per_minute,
      maxAttempts: row.max_attempts,
      createdAt: Number(row.created_at),
      updatedAt: Number(row.updated_at),
    };
  }

  async list(query: NotifyChannelListQuery): Promise<NotifyChannelList> {
    const { rows, total } = await this.repo.channels(query);
    return { items: rows.map((r) => this.view(r)), total };
  }

  async row(id: string): Promise<NotifyChannelTable> {
    const row = await this.repo.channel(id);
    if (!row) {
      throw new AppError('YW_NOTIFY_CHANNEL_NOT_FOUND', { id });
    }
    return row;
  }

  async get(id: string): Promise<NotifyChannel> {
    return this.view(await this.row(id));
  }

  async create(actor: Actor, input: NotifyChannelCreate): Promise<NotifyChannel> {
    const { plain, secrets } = prepareConfig(input.type, input.config);
    const now = Date.now();
    const row: NotifyChannelTable = {
      id: uuidv7(),
      name: input.name.trim(),
      type: input.type,
      config: toJson(plain),
      secrets: this.#seal(secrets),
      locale: input.locale ?? 'zh-CN',
      enabled: input.enabled === false ? 0 : 1,
      is_default: input.isDefault ? 1 : 0,
      rate_per_minute: input.ratePerMinute ?? NOTIFY_LIMITS.defaultRatePerMinute,
      max_attempts: input.maxAttempts ?? NOTIFY_LIMITS.defaultMaxAttempts,
      created_at: now,
      updated_at: now,
    };
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.insertInto('notify_channel').values(row).execute();
      await this.ctx.audit.record(trx, { actor, action: 'notify.channel.create', targetType: 'notify_channel', targetId: row.id, after: auditView(row, secrets) });
    });
    return this.view(row);
  }

  async update(actor: Actor, id: string, input: NotifyChannelUpdate): Promise<NotifyChannel> {
    const before = await this.row(id);
    const type = before.type as ChannelType;
    const current = this.openSecrets(before.secrets);
    const stored = fromJson<Record<string, unknown>>(before.config);
    // A changed destination (host, URL, …) drops the stored secrets not entered again: they never follow a new destination.
    const { plain, secrets, dropped } = input.config === undefined ? { plain: stored, secrets: current, dropped: [] } : prepareConfig(type, input.config, current, stored);
    const after: NotifyChannelTable = {
      ...before,
      name: input.name?.trim() ?? before.name,
      config: toJson(plain),
      secrets: this.#seal(secrets),
      locale: input.locale ?? before.locale,
      enabled: input.enabled === undefined ? before.enabled : input.enabled ? 1 : 0,
      is_default: input.isDefault === undefined ? before.is_default : input.isDefault ? 1 : 0,
      rate_per_minute: input.ratePerMinute ?? before.rate_per_minute,
      max_attempts: input.maxAttempts ?? before.max_attempts,
      updated_at: Math.max(Date.now(), Number(before.updated_at) + 1),
    };
    const { id: _id, created_at: _c, ...patch } = after;
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.updateTable('notify_channel').set(patch).where('id', '=', id).execute();
      await this.ctx.audit.record(trx, { actor, action: 'notify.channel.update', targetType: 'notify_channel', targetId: id, before: auditView(before, current), after: { ...auditView(after, secrets), secretsDropped: dropped } });
    });
    return { ...this.view(after), secretsDropped: dropped };
  }

  /** Deletes the channel; its delivery log stays (deliveries still due fail as "channel deleted"). */
  async remove(actor: Actor, id: string): Promise<void> {
    const before = await this.row(id);
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('notify_channel').where('id', '=', id).execute();
      await this.ctx.audit.record(trx, { actor, action: 'notify.channel.delete', targetType: 'notify_channel', targetId: id, before: auditView(before, this.#secretsOf(before)) });
    });
  }
}
