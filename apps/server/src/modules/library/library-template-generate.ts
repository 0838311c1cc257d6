import type { LibraryBody, LibraryDocumentDetail } from '@yunwei/contracts/library';
import type { LibraryTemplateGenerate, LibraryTemplatePeriod } from '@yunwei/contracts/library-templates';
import type { Locale } from '@yunwei/contracts/i18n';
import { fromJson } from '../../db/dialect.js';
import type { Actor } from '../../platform/actor.js';
import type { ProviderParams, ProviderRegistry, ProviderScope, SectionOutcome } from '../../platform/documents/providers.js';
import { invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { periodBefore } from '../reports/report-schedule-period.js';
import { ReportsService } from '../reports/reports.service.js';
import { classify, referencesOf, resolveBody } from './library-template-placeholders.js';
import type { LibraryTemplatesService } from './library-template.service.js';
import type { LibraryService } from './library.service.js';

const CADENCE = { week: 'weekly', month: 'monthly', quarter: 'quarterly' } as const;

/** The previous whole week (Monday to Monday), month or quarter before `now`, in `timeZone`, as [from, to) — as scheduled reports count them. */
export function previousPeriod(preset: LibraryTemplatePeriod, now: number, timeZone: string): { from: number; to: number } {
  return periodBefore(CADENCE[preset], now, timeZone);
}

/**
 * Generates documents from templates: every placeholder resolved by running its provider as the requesting
 * person over the period and scope (their permissions and data scope), the result stored as a new document's
 * v1.0 draft, or as the next draft version of a published one, through LibraryService (its checks, history and
 * audit). The numbers are text in the stored body from then on: frozen into the version.
 */
export class LibraryTemplateGenerator {
  readonly #reports: ReportsService;

  constructor(
    private readonly ctx: ModuleContext,
    private readonly templates: LibraryTemplatesService,
    private readonly documents: LibraryService,
    private readonly providers: ProviderRegistry,
    private readonly now: () => number = Date.now,
  ) {
    this.#reports = new ReportsService(ctx);
  }

  async generate(actor: Actor, templateId: string, input: LibraryTemplateGenerate): Promise<LibraryDocumentDetail> {
    const locale: Locale = actor.locale;
    const en = locale === 'en';
    const template = await this.templates.row(templateId);
    const now = this.now();
    const { from, to } = this.#reports.period(this.#period(input, template.default_period, now), 'body');
    const scope = await this.#reports.scope(actor, input.scope ?? template.default_scope, locale, 'body');
    const target = input.documentId === undefined ? null : await this.documents.get(actor, input.documentId);
    if (target && target.type.code !== template.type_code) {
      throw invalidField('body.documentId', { zh: `该文档不是“${en ? template.type_name_en : template.type_name_zh}”类型`, en: `that document is not of the type "${template.type_name_en}"` });
    }
    if (!target && input.title === undefined) {
      throw invalidField('body.title', { zh: '请填写文档标题', en: 'give the document a title' });
    }

    const body = fromJson<LibraryBody>(template.body);
    const params: ProviderParams = { actor: { ...actor, locale }, locale, from, to, scope, now, timeZone: this.ctx.config.timeZone };
    const outcomes = await this.#run(body, params);
    const resolved = resolveBody(body, outcomes, this.providers, locale);
    const missing = [...outcomes.values()].filter((o) => !o.ok).map((o) => o.provider);
    const note = (input.changeNote?.trim() || this.#note(template.name, from, to, scope, locale)).slice(0, 1000);

    let result: LibraryDocumentDetail;
    if (target) {
      result = await this.documents.newVersion(actor, target.id, { changeNote: note }, resolved);
      if (input.title !== undefined && input.title !== result.title) {
        result = await this.documents.update(actor, target.id, { title: input.title });
      }
    } else {
      result = await this.documents.create(actor, { typeCode: template.type_code, title: input.title!, body: resolved, changeNote: note, ...(input.orgUnitId !== undefined ? { orgUnitId: input.orgUnitId } : {}) });
    }
    await this.ctx.audit.recordNow({
      actor,
      action: 'library.template.generate',
      targetType: 'library_document',
      targetId: result.id,
      after: { templateId, templateName: template.name, version: result.latestVersion.label, from, to, scope: { kind: scope.kind, id: scope.id, name: scope.name }, providers: [...outcomes.keys()], missing },
    });
    return result;
  }

  #period(input: LibraryTemplateGenerate, fallback: LibraryTemplatePeriod, now: number): { from: number; to: number } {
    if (input.from !== undefined || input.to !== undefined) {
      if (input.from === undefined) {
        throw invalidField('body.from', { zh: '自定义区间须同时给出开始和结束时间', en: 'a custom period needs both from and to' });
      }
      if (input.to === undefined) {
        throw invalidField('body.to', { zh: '自定义区间须同时给出开始和结束时间', en: 'a custom period needs both from and to' });
      }
      return { from: input.from, to: input.to };
    }
    return previousPeriod(input.period ?? fallback, now, this.ctx.config.timeZone);
  }

  /** Each provider the body names, run once (a failure, a missing permission or provider: an outcome saying so). */
  async #run(body: LibraryBody, params: ProviderParams): Promise<Map<string, SectionOutcome>> {
    const names = new Set<string>();
    for (const ref of referencesOf(body)) {
      const r = classify(ref, this.providers);
      if (r.kind !== 'unknown') {
        names.add(r.provider);
      }
    }
    const out = new Map<string, SectionOutcome>();
    for (const name of names) {
      const title = this.providers.get(name)?.title;
      out.set(name, await this.providers.run(name, title ? (params.locale === 'en' ? title.en : title.zh) : name, params, this.ctx.log));
    }
    return out;
  }

  #note(name: string, from: number, to: number, scope: ProviderScope, locale: Locale): string {
    const day = (at: number) => new Intl.DateTimeFormat('sv-SE', { timeZone: this.ctx.config.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
    const last = day(to - 1);
    return locale === 'en' ? `Generated from the template "${name}" for ${day(from)} – ${last}, ${scope.name}` : `由模板“${name}”生成：${day(from)} 至 ${last}，${scope.name}`;
  }
}
