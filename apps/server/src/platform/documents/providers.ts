import type { PermissionId } from '@yunwei/contracts/access';
import type { DocumentBlock, DocumentSection } from '@yunwei/contracts/documents';
import type { Locale, LocalizedText } from '@yunwei/contracts/i18n';
import type { ReportScopeKind } from '@yunwei/contracts/reports';
import { type Actor, can } from '../actor.js';
import { isAppError } from '../errors.js';
import type { ModuleContext } from '../module.js';

/*
 * Data providers of written documents: a module registers named providers (`alerts.summary`,
 * `checks.downtime`, …) that compute one section — its blocks and the numbers behind them — for a period
 * and a scope. Reports put sections together from them (and the document library will fill templates
 * from the same providers). A provider that fails yields a section saying which part is missing and
 * why, in the danger tone: never a silent blank.
 */

/** What a report is about: every CI the reader may see, a business system's CIs, or a class's CIs. */
export interface ProviderScope {
  kind: ReportScopeKind;
  /** The business system's CI id or the class code; null for `all`. */
  id: string | null;
  /** Its name as people read it. */
  name: string;
  /** The CIs in scope (before each provider's own data scope); null: every CI. */
  ciIds: ReadonlySet<string> | null;
}

export interface ProviderParams {
  actor: Actor;
  locale: Locale;
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
  scope: ProviderScope;
  now: number;
  /** The server's time zone (YUNWEI_TIME_ZONE), for dates printed in the section. */
  timeZone: string;
}

/** A section as a provider computed it. `data` holds the numbers the blocks print. */
export interface ProducedSection<D = unknown> {
  blocks: DocumentBlock[];
  sections?: DocumentSection['sections'];
  data: D;
}

/** How a provider's single number prints where a template names it (`{{alerts.summary.count}}`). */
export type ProviderFieldFormat = 'number' | 'percent' | 'minutes' | 'text';

export interface ProviderField {
  title: LocalizedText;
  format: ProviderFieldFormat;
}

export interface DocumentProvider<D = unknown> {
  /** `<module>.<what>`, unique. */
  name: string;
  title: LocalizedText;
  /** The permission the reader needs for the data (the data's own read permission). */
  permission: PermissionId;
  produce(params: ProviderParams): Promise<ProducedSection<D>>;
  /** Single values a document template may print inline, by key (camelCase); with `value`. */
  fields?: Record<string, ProviderField>;
  /** The value of `field` in the data `produce` returned; null: nothing to print (no data in the period). */
  value?(data: D, field: string): number | string | null;
}

/** A provider's outcome: its section, or why it is missing. */
export interface SectionOutcome<D = unknown> {
  provider: string;
  title: string;
  ok: boolean;
  error: string | null;
  data: D | null;
  section: DocumentSection;
}

export class ProviderRegistry {
  readonly #providers = new Map<string, DocumentProvider>();

  register<D>(provider: DocumentProvider<D>): void {
    // Registering again (a second app in one process, a module's routes run twice) replaces the first.
    this.#providers.set(provider.name, provider as DocumentProvider);
  }

  has(name: string): boolean {
    return this.#providers.has(name);
  }

  list(): DocumentProvider[] {
    return [...this.#providers.values()];
  }

  get(name: string): DocumentProvider | undefined {
    return this.#providers.get(name);
  }

  /**
   * Runs provider `name` under `heading` (the report numbers its sections). A missing provider, a missing
   * permission or an error becomes a section that says so; the error is logged.
   */
  async run<D = unknown>(name: string, heading: string, params: ProviderParams, log?: Pick<ModuleContext['log'], 'error'>): Promise<SectionOutcome<D>> {
    const en = params.locale === 'en';
    const provider = this.#providers.get(name) as DocumentProvider<D> | undefined;
    const title = provider ? (en ? provider.title.en : provider.title.zh) : name;
    const missing = (reason: string): SectionOutcome<D> => ({
      provider: name,
      title,
      ok: false,
      error: reason,
      data: null,
      section: { heading, blocks: [{ kind: 'paragraph', tone: 'danger', text: en ? `This section (${title}) is missing: ${reason}` : `本节（${title}）缺失：${reason}` }] },
    });
    if (!provider) {
      return missing(en ? `no data provider "${name}" is installed.` : `未安装数据提供者“${name}”。`);
    }
    if (!can(params.actor, provider.permission)) {
      return missing(en ? `you lack the permission ${provider.permission} to read its data.` : `您没有读取其数据的权限（${provider.permission}）。`);
    }
    try {
      const produced = await provider.produce(params);
      return { provider: name, title, ok: true, error: null, data: produced.data, section: { heading, blocks: produced.blocks, ...(produced.sections ? { sections: produced.sections } : {}) } };
    } catch (error) {
      log?.error({ err: error, provider: name }, 'document provider failed');
      const why = isAppError(error) ? error.message : error instanceof Error ? error.message : String(error);
      return missing(en ? `its data could not be computed (${why}).` : `数据生成失败（${why}）。`);
    }
  }
}

const registries = new WeakMap<object, ProviderRegistry>();

/** The providers of one app (modules register theirs as their routes are set up). */
export function documentProvidersOf(ctx: Pick<ModuleContext, 'db'>): ProviderRegistry {
  let registry = registries.get(ctx.db);
  if (!registry) {
    registry = new ProviderRegistry();
    registries.set(ctx.db, registry);
  }
  return registry;
}
