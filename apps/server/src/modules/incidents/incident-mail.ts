import { INCIDENT_LIMITS, INCIDENT_PERMISSIONS as P } from '@yunwei/contracts/incidents';
import type { InboundMailResult } from '@yunwei/contracts/inbound-mail';
import { can, type Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { inboundMailOf, type InboundMail, type InboundMailSender } from '../inbound-mail/runtime.js';
import { incidentsOf } from './runtime.js';

/**
 * The mailboxes whose mail becomes incidents (local parts, any domain the receiver takes —
 * YUNWEI_MAIL_RECEIVER_DOMAINS): 报障 to `incident@…`, `fault@…`, `guzhang@…`, `baozhang@…`, `helpdesk@…`.
 */
export const INCIDENT_MAILBOXES = ['incident', 'incidents', 'fault', 'faults', 'guzhang', 'baozhang', 'helpdesk', 'servicedesk'];

/** `[INC-2026-000123]` (or the number alone) in a reply's subject. */
const NUMBER = /\bINC-\d{4}-\d{6}\b/i;

const result = (id: string, number: string, title: string, type: string): InboundMailResult => ({ type, id, label: `${number} ${title}`, path: `/incidents/${id}` });

/**
 * Inbound e-mail → incident (L4-2.3.1), as the sender (the user the receiver matched): the subject is the title, the
 * text the description, the sender the reporter, source `email`. A reply whose subject carries an incident number
 * the sender may see adds a comment to that incident instead. A sender who may neither record nor report faults
 * gets the mail marked failed with the reason (kept, never lost: the inbound-mail module keeps it).
 */
export async function mailToIncident(ctx: ModuleContext, mail: InboundMail, sender: InboundMailSender): Promise<InboundMailResult> {
  const incidents = incidentsOf(ctx);
  const actor = sender.actor;
  const subject = mail.subject.trim();
  const text = mail.text.trim();
  const number = NUMBER.exec(subject)?.[0]?.toUpperCase();
  if (number) {
    const row = await ctx.db.selectFrom('incident').select(['id', 'title', 'number']).where('number', '=', number).executeTakeFirst();
    const own = row ? await visible(actor, () => incidents.get(actor, row.id, { own: true })) : false;
    const handler = row && !own ? await visible(actor, () => incidents.get(actor, row.id)) : false;
    if (row && (own || handler)) {
      const comment = (text || subject).slice(0, INCIDENT_LIMITS.comment);
      await incidents.comment(actor, row.id, { text: comment }, { own: own && !handler });
      return result(row.id, row.number, row.title, 'incident-comment');
    }
  }
  if (!can(actor, P.write) && !can(actor, P.report)) {
    throw new Error(`${sender.user.username} may not report faults (needs ${P.report})`);
  }
  const title = (subject || (text.split('\n')[0] ?? '').trim() || '（无主题邮件报障）').slice(0, INCIDENT_LIMITS.title);
  const id = await incidents.record(actor, {
    title,
    description: text.slice(0, INCIDENT_LIMITS.description),
    typeId: null,
    natureId: null,
    impact: 3,
    urgency: 3,
    ciIds: [],
    detectedAt: Math.min(mail.receivedAt, Date.now()),
    assigneeId: null,
    groupId: null,
    major: false,
    majorRoles: {},
    source: 'email',
    reporterId: sender.user.id,
    note: `邮件报障：${sender.user.displayName} <${mail.from ?? sender.user.email}>`,
  });
  const row = await ctx.db.selectFrom('incident').select(['number']).where('id', '=', id).executeTakeFirstOrThrow();
  return result(id, row.number, title, 'incident');
}

async function visible(_actor: Actor, read: () => Promise<unknown>): Promise<boolean> {
  try {
    await read();
    return true;
  } catch (error) {
    if (error instanceof AppError && error.code === 'YW_INCIDENT_NOT_FOUND') {
      return false;
    }
    throw error;
  }
}

/** Registers the incidents handler with the inbound-mail module (once per app). */
export function registerIncidentMail(ctx: ModuleContext): void {
  inboundMailOf(ctx).register({
    name: 'incidents',
    recipients: (address) => INCIDENT_MAILBOXES.includes(address.split('@')[0]!.toLowerCase()),
    handle: (mail, sender) => mailToIncident(ctx, mail, sender),
  });
}
