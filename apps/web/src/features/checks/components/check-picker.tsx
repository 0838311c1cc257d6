import { useEffect, useMemo, useState, type CSSProperties } from 'react';
import { Select, Space, Typography } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Check } from '@yunwei/contracts/checks';
import { useChecks } from '../api/use-checks';
import { CheckStatusTag } from './check-status-tag';

export interface CheckRef {
  id: string;
  name: string;
}

interface CheckPickerProps {
  value?: string | null;
  onChange?: (value: string | undefined, check: CheckRef | undefined) => void;
  /** Names of checks already chosen, so a value shows its name before any search. */
  known?: readonly CheckRef[];
  placeholder?: string;
  style?: CSSProperties;
  id?: string;
  testId?: string;
}

/** Picks one check by searching the server (name, target), showing its type and status. A Form control. */
export function CheckPicker(props: CheckPickerProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(search.trim()), 250);
    return () => clearTimeout(timer);
  }, [search]);
  const { data, isFetching } = useChecks({ q: q || undefined, limit: 20, offset: 0 });
  const [seen, setSeen] = useState<Map<string, CheckRef & Partial<Check>>>(() => new Map());

  useEffect(() => {
    const found = [...(props.known ?? []), ...(data?.items ?? [])];
    if (found.some((c) => !seen.has(c.id))) {
      setSeen((current) => new Map([...current, ...found.map((c) => [c.id, { ...current.get(c.id), ...c }] as const)]));
    }
  }, [data, props.known, seen]);

  const options = useMemo(() => {
    const ids = [...new Set([...(props.value ? [props.value] : []), ...(data?.items ?? []).map((c) => c.id)])];
    return ids.map((id) => {
      const check = seen.get(id);
      return {
        value: id,
        title: check?.name ?? id,
        label: (
          <Space size={6}>
            {check?.status && <CheckStatusTag status={check.status} enabled={check.enabled} />}
            <span>{check?.name ?? id}</span>
            {check?.type && <Typography.Text type="secondary">{t(`checks.type.${check.type}`)}</Typography.Text>}
          </Space>
        ),
      };
    });
  }, [data, seen, props.value, t]);

  return (
    <Select<string | undefined>
      id={props.id}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      allowClear
      loading={isFetching}
      options={options}
      placeholder={props.placeholder ?? t('checks.pickPlaceholder')}
      notFoundContent={
        isFetching ? (
          t('common.loading')
        ) : q || data?.total ? (
          t('common.noMatch')
        ) : (
          // No check exists yet: where to add one (a new tab: the form this picker is in stays open).
          <span data-testid="check-picker-none">
            {t('checks.pickerNone')}{' '}
            <Link to="/monitoring/checks" target="_blank" rel="noopener">
              {t('nav.items.checks')}
            </Link>
          </span>
        )
      }
      style={{ width: '100%', ...props.style }}
      data-testid={props.testId}
      optionLabelProp="title"
      onBlur={() => setSearch('')}
      value={props.value ?? undefined}
      onChange={(v) => props.onChange?.(v ?? undefined, v ? seen.get(v) : undefined)}
    />
  );
}
