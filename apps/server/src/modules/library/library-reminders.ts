import { uuidv7 } from 'uuidv7';
import type { LocalizedMessage } from '@yunwei/contracts/notify';
import { systemActor } from '../../platform/actor.js';
import type { ModuleContext } from '../../platform/module.js';
import { formatMessageTime, linkTo } from '../../platform/notify/message-format.js';
import { notifyOf } from '../notify/runtime.js';
import { LibraryRepository } from './library.repository.js';

/** Documents handled per run (the job runs every 15 minutes: a backlog drains run after run). */
const BATCH = 200;

interface ReviewNotice {
  title: string;
  number: string;
  typeZh: string;
  typeEn: string;
  owner: string;
  dueAt: number;
  url: string;
}

export function reviewMessage(n: ReviewNotice, timeZone: string): LocalizedMessage {
  const due = formatMessageTime(n.dueAt, timeZone);
  const zhTitle = `【文档复审提醒】${n.number}《${n.title}》`;
  const zhText = `${n.owner}：您负责的${n.typeZh}《${n.title}》（${n.number}）已到复审日期 ${due}，请复审：内容仍然有效则发布新版本或确认，已不适用则废止。`;
  const enTitle = `[Document review due] ${n.number} "${n.title}"`;
  const enText = `${n.owner}: the ${n.typeEn.toLowerCase()} "${n.title}" (${n.number}) you own was due for review on ${due}: review it, then publish a new version, or retire it if it no longer applies.`;
  const data = { kind: 'library.review', number: n.number, title: n.title, dueAt: n.dueAt };
  return {
    'zh-CN': { title: zhTitle, text: `${zhText}\n${n.url}`, markdown: `**${zhTitle}**\n\n${zhText}\n\n[查看文档](${n.url})`, severity: 'warning', url: n.url, data },
    en: { title: enTitle, text: `${enText}\n${n.url}`, markdown: `**${enTitle}**\n\n${enText}\n\n[Open the document](${n.url})`, severity: 'warning', url: n.url, data },
  };
}

/**
 * Periodic review (run by the `library.review-reminders` job): when a published document's review date
 * passes, its owner is told once for that date through the default notification channels (their e-mail on
 * e-mail channels, their mobile on robots) with the title, number and an absolute link. Each reminder is
 * claimed by a conditional UPDATE of `review_reminded_due` in the transaction that queues the messages: one
 * node, one message; publishing a new version sets a new date (a new period).
 */
export class LibraryReviewReminders {
  readonly #repo: LibraryRepository;

  constructor(private readonly ctx: ModuleContext) {
    this.#repo = new LibraryRepository(ctx.db);
  }

  async run(now = Date.now()): Promise<{ reminded: number }> {
    let reminded = 0;
    const notify = notifyOf(this.ctx);
    for (const doc of await this.#repo.reviewsDue(now, BATCH)) {
      const dueAt = Number(doc.review_due_at);
      const owner = await this.ctx.db.selectFrom('user').select(['display_name', 'email', 'phone', 'status']).where('id', '=', doc.owner_id).executeTakeFirst();
      const message = reviewMessage(
        { title: doc.title, number: doc.number, typeZh: doc.type_name_zh, typeEn: doc.type_name_en, owner: owner?.display_name ?? doc.owner_id, dueAt, url: linkTo(this.ctx.config.publicUrl, `/library/documents/${doc.id}`) },
        this.ctx.config.timeZone,
      );
      const sends: { channelId: string; recipients: string[] }[] = [];
      for (const channelId of await notify.channels.defaults()) {
        const type = (await notify.service.repo.channel(channelId))?.type;
        const address = owner && owner.status === 'active' ? (type === 'email' ? owner.email : owner.phone) : '';
        sends.push({ channelId, recipients: address ? [address] : [] });
      }
      const sent = await this.ctx.db.transaction().execute(async (trx) => {
        const claim = await trx
          .updateTable('document')
          .set({ review_reminded_due: dueAt })
          .where('id', '=', doc.id)
          .where('review_due_at', '=', dueAt)
          .where((eb) => eb.or([eb('review_reminded_due', 'is', null), eb('review_reminded_due', '!=', dueAt)]))
          .executeTakeFirst();
        if (Number(claim.numUpdatedRows) !== 1) {
          return false;
        }
        for (const send of sends) {
          await notify.enqueue({ channelId: send.channelId, message, ...(send.recipients.length ? { recipients: send.recipients } : {}), source: { kind: 'library-document', id: doc.id } }, trx);
        }
        const detail = { number: doc.number, dueAt, ownerId: doc.owner_id, channels: sends.length };
        await this.#repo.insertEvent(trx, { id: uuidv7(), document_id: doc.id, at: now, actor_id: null, actor_name: 'library', action: 'review_reminder', version_label: null, detail: `channels: ${sends.length}` });
        await this.ctx.audit.record(trx, { actor: systemActor('library'), action: 'library.document.review-reminder', targetType: 'library_document', targetId: doc.id, after: detail });
        return true;
      });
      if (sent) {
        reminded++;
      }
    }
    if (reminded > 0) {
      notify.wake();
    }
    return { reminded };
  }
}
