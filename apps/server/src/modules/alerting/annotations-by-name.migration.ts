import type { Kysely, Migration } from 'kysely';
import { fromJson, toJson } from '../../db/dialect.js';

type Texts = Record<'zh' | 'en', Record<'summary' | 'description', string>>;

/**
 * Issue 11: alerts name what they are about. Rules saved with the first default annotations print
 * `{{ $labels.check }}` (a check's id) or `{{ $labels.instance }}` (empty for the agent's metrics);
 * each such text that is still exactly the old default becomes the new one, which prints
 * `{{ $object }}` (the CI or instance and the check, by name). Texts an administrator wrote are
 * left alone. Both sets are copied here as they were, so that later changes to the defaults do not
 * change what this migration did.
 */
export const OLD: Record<string, Texts> = {
  metric: {
    zh: { summary: '{{ $rule }}：当前值 {{ $value }}，阈值 {{ $threshold }}', description: '{{ $labels.instance }} 触发告警规则“{{ $rule }}”，级别 {{ $severity }}。' },
    en: { summary: '{{ $rule }}: value {{ $value }}, threshold {{ $threshold }}', description: '{{ $labels.instance }} fired alert rule "{{ $rule }}" with severity {{ $severity }}.' },
  },
  check: {
    zh: { summary: '{{ $rule }}：检查 {{ $labels.check }} 连续失败', description: '检查 {{ $labels.check }}（{{ $labels.type }}）状态异常。' },
    en: { summary: '{{ $rule }}: check {{ $labels.check }} is failing', description: 'Check {{ $labels.check }} ({{ $labels.type }}) is not healthy.' },
  },
  absent: {
    zh: { summary: '{{ $rule }}：{{ $labels.instance }}{{ $labels.agent }} 停止上报数据', description: '最近一次数据距今 {{ $value }} 秒。' },
    en: { summary: '{{ $rule }}: {{ $labels.instance }}{{ $labels.agent }} stopped reporting', description: 'The last data arrived {{ $value }} seconds ago.' },
  },
  capacity: {
    zh: { summary: '{{ $rule }}：预计 {{ $eta }} 达到 {{ $threshold }}', description: '按线性趋势，当前约 {{ $value }}，将于 {{ $eta }} 达到阈值 {{ $threshold }}。' },
    en: { summary: '{{ $rule }}: expected to reach {{ $threshold }} at {{ $eta }}', description: 'The linear trend is at {{ $value }} now and reaches {{ $threshold }} at {{ $eta }}.' },
  },
  baseline: {
    zh: { summary: '{{ $rule }}：{{ $labels.instance }} 偏离基线（当前 {{ $value }}）', description: '当前值超出同一周时段基线的 k·σ 范围。' },
    en: { summary: '{{ $rule }}: {{ $labels.instance }} deviates from its baseline ({{ $value }})', description: 'The value is outside mean ± k·σ of the same hour of the week.' },
  },
};

export const NEW: Record<string, Texts> = {
  metric: {
    zh: { summary: '{{ $rule }}：{{ $object }} 当前值 {{ $value }}，阈值 {{ $threshold }}', description: '{{ $object }} 触发告警规则“{{ $rule }}”，级别 {{ $severity }}。' },
    en: { summary: '{{ $rule }}: {{ $object }} at {{ $value }}, threshold {{ $threshold }}', description: '{{ $object }} fired alert rule "{{ $rule }}" with severity {{ $severity }}.' },
  },
  check: {
    zh: { summary: '{{ $rule }}：检查 {{ $object }} 连续失败', description: '检查 {{ $object }}（{{ $labels.type }}）状态异常。' },
    en: { summary: '{{ $rule }}: check {{ $object }} is failing', description: 'Check {{ $object }} ({{ $labels.type }}) is not healthy.' },
  },
  absent: {
    zh: { summary: '{{ $rule }}：{{ $object }} 停止上报数据', description: '最近一次数据距今 {{ $value }} 秒。' },
    en: { summary: '{{ $rule }}: {{ $object }} stopped reporting', description: 'The last data arrived {{ $value }} seconds ago.' },
  },
  capacity: {
    zh: { summary: '{{ $rule }}：{{ $object }} 预计 {{ $eta }} 达到 {{ $threshold }}', description: '按线性趋势，当前约 {{ $value }}，将于 {{ $eta }} 达到阈值 {{ $threshold }}。' },
    en: { summary: '{{ $rule }}: {{ $object }} expected to reach {{ $threshold }} at {{ $eta }}', description: 'The linear trend is at {{ $value }} now and reaches {{ $threshold }} at {{ $eta }}.' },
  },
  baseline: {
    zh: { summary: '{{ $rule }}：{{ $object }} 偏离基线（当前 {{ $value }}）', description: '当前值超出同一周时段基线的 k·σ 范围。' },
    en: { summary: '{{ $rule }}: {{ $object }} deviates from its baseline ({{ $value }})', description: 'The value is outside mean ± k·σ of the same hour of the week.' },
  },
};

/** The annotations with every text still at the `from` default of `kind` replaced by the `to` one; null when none is. */
export function replaceDefaults(kind: string, annotations: Texts, from = OLD, to = NEW): Texts | null {
  const old = from[kind];
  const next = to[kind];
  if (!old || !next) {
    return null;
  }
  let changed = false;
  const out = structuredClone(annotations);
  for (const lang of ['zh', 'en'] as const) {
    for (const part of ['summary', 'description'] as const) {
      if (out[lang]?.[part] === old[lang][part]) {
        out[lang][part] = next[lang][part];
        changed = true;
      }
    }
  }
  return changed ? out : null;
}

async function rewrite(db: Kysely<any>, from: Record<string, Texts>, to: Record<string, Texts>): Promise<void> {
  const rules: { id: string; kind: string; annotations: string }[] = await db.selectFrom('alert_rule').select(['id', 'kind', 'annotations']).execute();
  for (const r of rules) {
    const next = replaceDefaults(r.kind, fromJson<Texts>(r.annotations), from, to);
    if (next) {
      await db.updateTable('alert_rule').set({ annotations: toJson(next) }).where('id', '=', r.id).execute();
    }
  }
}

export const annotationsByNameMigration: Migration = {
  up: (db: Kysely<any>) => rewrite(db, OLD, NEW),
  // The earlier version does not know `{{ $object }}`: going back restores its defaults.
  down: (db: Kysely<any>) => rewrite(db, NEW, OLD),
};
