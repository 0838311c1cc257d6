import { useEffect, useMemo, useRef, useState, type CSSProperties, type SyntheticEvent } from 'react';
import { AutoComplete, Input, Space, Typography } from 'antd';
import { applyCompletion, completionContext, type CompletionContext } from '../selector-completion';
import { useCiNames, useCisNamed, useDebounced, useLabelNames, useLabelValues, useMetricNames } from '../series-catalog';
import { SeriesPreview } from './series-preview';

interface SelectorInputProps {
  value?: string;
  onChange?: (value: string) => void;
  /** Set by Form.Item: the label points at the input. */
  id?: string;
  /** `selector` (default): a series selector; `metric`: a metric name only. */
  mode?: 'selector' | 'metric';
  placeholder?: string;
  /** On the input itself; the preview gets `<testId>-preview`. */
  testId?: string;
  /** Show how many series match and the first few (default: on). */
  preview?: boolean;
  /** Enter in the field while no suggestion is chosen. */
  onPressEnter?: () => void;
  style?: CSSProperties;
}

/** Suggestions shown at once. */
const MAX_OPTIONS = 50;

/** Matches of `prefix` (ignoring case): those starting with it first, then those containing it. */
function rank(values: readonly string[], prefix: string): string[] {
  const p = prefix.toLowerCase();
  const starts: string[] = [];
  const contains: string[] = [];
  for (const v of values) {
    const l = v.toLowerCase();
    if (l.startsWith(p)) {
      starts.push(v);
    } else if (l.includes(p)) {
      contains.push(v);
    }
  }
  return [...starts.sort(), ...contains.sort()];
}

/**
 * The one input for series selectors (alert rules, dashboard panels, inspection items) and metric names
 * (the monitoring policy): completes metric names, label names and label values from the store at the
 * caret (`ci` values by CI name), and previews the series it matches. A Form control.
 */
export function SelectorInput({ value, onChange, id, mode = 'selector', placeholder, testId, preview = true, onPressEnter, style }: SelectorInputProps) {
  const text = value ?? '';
  const wrapper = useRef<HTMLDivElement>(null);
  const [caret, setCaret] = useState<number | null>(null);
  const [focused, setFocused] = useState(false);
  const pendingCaret = useRef<number | null>(null);

  const ctx: CompletionContext | null = useMemo(() => {
    if (mode === 'metric') {
      return { kind: 'metric', prefix: text.trim(), from: 0, to: text.length };
    }
    return completionContext(text, Math.min(caret ?? text.length, text.length));
  }, [text, caret, mode]);

  const metrics = useMetricNames(focused && ctx?.kind === 'metric');
  const labels = useLabelNames(ctx?.kind === 'label' ? ctx.metric : null, focused && ctx?.kind === 'label');
  const values = useLabelValues(focused && ctx?.kind === 'value' ? ctx.label : null, ctx?.kind === 'value' ? ctx.metric : null);
  const isCi = ctx?.kind === 'value' && ctx.label === 'ci';
  const ciText = useDebounced(isCi && focused ? ctx.prefix.trim() : '', 250);
  const cisNamed = useCisNamed(ciText);

  const choices: { value: string; label: string }[] = useMemo(() => {
    if (!ctx) {
      return [];
    }
    switch (ctx.kind) {
      case 'metric':
        return rank(metrics.data ?? [], ctx.prefix).map((v) => ({ value: v, label: v }));
      case 'label':
        return rank((labels.data ?? []).filter((l) => !ctx.used.includes(l)), ctx.prefix).map((v) => ({ value: v, label: v }));
      case 'value': {
        const all = values.data ?? [];
        if (!isCi) {
          return rank(all, ctx.prefix).map((v) => ({ value: v, label: v }));
        }
        // CI ids are found by the CI's name too: people type names.
        const present = new Set(all);
        // The CMDB search also matches IPs and host names; a stale answer (typing ran ahead) only by name.
        const fresh = ciText === ctx.prefix.trim();
        const byName = (cisNamed.data ?? []).filter((c) => present.has(c.id) && (fresh || c.name.toLowerCase().includes(ctx.prefix.trim().toLowerCase()))).map((c) => c.id);
        return [...new Set([...byName, ...rank(all, ctx.prefix)])].map((v) => ({ value: v, label: v }));
      }
    }
  }, [ctx, metrics.data, labels.data, values.data, isCi, cisNamed.data, ciText]);
  const shown = choices.slice(0, MAX_OPTIONS);
  const ciNames = useCiNames(isCi ? shown.map((c) => c.value) : []);

  const applied = useMemo(() => new Map(ctx ? shown.map((c) => [c.value, applyCompletion(text, ctx, c.value)] as const) : []), [shown, text, ctx]);
  const options = shown
    .filter((c) => !(ctx?.kind === 'metric' && c.value === text.trim()))
    .map((c) => {
      const name = isCi ? ciNames.data?.get(c.value) : undefined;
      return {
        value: applied.get(c.value)!.text,
        label: (
          <Space size={8} data-testid="selector-option" data-choice={c.value}>
            <span style={{ fontFamily: 'monospace' }}>{name ?? c.label}</span>
            {name && <Typography.Text type="secondary">{c.value}</Typography.Text>}
          </Space>
        ),
        caret: applied.get(c.value)!.caret,
      };
    });

  // After a completion is taken the input holds the new text; put the caret where typing goes on.
  useEffect(() => {
    const at = pendingCaret.current;
    const input = wrapper.current?.querySelector('input');
    if (at !== null && input && input.value === text) {
      pendingCaret.current = null;
      input.setSelectionRange(at, at);
      setCaret(at);
    }
  }, [text]);

  const track = (e: SyntheticEvent) => {
    const target = e.target as HTMLInputElement;
    if (target.tagName === 'INPUT' && target.selectionStart !== null) {
      setCaret(target.selectionStart);
    }
  };

  return (
    <div ref={wrapper} onKeyUp={track} onClick={track} onInput={track} onFocus={() => setFocused(true)} onBlur={() => setFocused(false)} style={style}>
      <AutoComplete
        value={text}
        options={options}
        onChange={(v: string) => onChange?.(v)}
        onSelect={(_: string, option: { caret: number }) => {
          pendingCaret.current = option.caret;
        }}
        filterOption={false}
        defaultActiveFirstOption={false}
        popupMatchSelectWidth={false}
        style={{ width: '100%' }}
      >
        <Input id={id} placeholder={placeholder ?? (mode === 'metric' ? 'host_cpu_usage_percent' : 'host_cpu_usage_percent{ci="…"}')} style={{ fontFamily: 'monospace' }} data-testid={testId} autoComplete="off" onPressEnter={onPressEnter} />
      </AutoComplete>
      {preview && <SeriesPreview selector={text} testId={testId ? `${testId}-preview` : undefined} />}
    </div>
  );
}
