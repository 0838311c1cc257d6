import { useEffect, useMemo, useState, type CSSProperties } from 'react';
import { Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CiRef } from '@yunwei/contracts/cmdb';
import { useCis } from '../api/use-cmdb';
import { classColor } from '../cmdb-meta';

interface CommonProps {
  /** Only CIs of this class (e.g. the business-system class). */
  classId?: string;
  /** Never offered (e.g. the CI itself). */
  excludeIds?: readonly string[];
  /** Names of CIs already chosen, so a value shows its name before any search. */
  known?: readonly CiRef[];
  placeholder?: string;
  style?: CSSProperties;
  id?: string;
  allowClear?: boolean;
  testId?: string;
}
type CiPickerProps = CommonProps &
  ({ multiple?: false; value?: string | null; onChange?: (value: string | undefined) => void } | { multiple: true; value?: string[]; onChange?: (value: string[]) => void });

function useDebounced<T>(value: T, ms: number): T {
  const [current, setCurrent] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setCurrent(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return current;
}

/** Picks one or several CIs by searching the server (name, IP, host name). A Form control. */
export function CiPicker(props: CiPickerProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 250);
  const { data, isFetching } = useCis({ q: q || undefined, classId: props.classId, limit: 20, sort: 'name', order: 'asc' });
  const [names, setNames] = useState<Map<string, CiRef>>(() => new Map());

  useEffect(() => {
    const found = [...(props.known ?? []), ...(data?.items ?? []).map((c) => ({ id: c.id, name: c.name, classCode: c.classCode }))];
    if (found.some((c) => !names.has(c.id))) {
      setNames((current) => new Map([...current, ...found.map((c) => [c.id, c] as const)]));
    }
  }, [data, props.known, names]);

  const options = useMemo(() => {
    const exclude = new Set(props.excludeIds ?? []);
    const selected = props.multiple ? (props.value ?? []) : props.value ? [props.value] : [];
    const ids = [...new Set([...selected, ...(data?.items ?? []).map((c) => c.id)])].filter((id) => !exclude.has(id));
    return ids.map((id) => {
      const ci = names.get(id);
      return {
        value: id,
        title: ci?.name ?? id,
        label: (
          <Space size={6}>
            <span style={{ display: 'inline-block', width: 8, height: 8, borderRadius: 4, background: classColor(ci?.classCode) }} />
            <span>{ci?.name ?? id}</span>
            {ci && <Typography.Text type="secondary">{ci.classCode}</Typography.Text>}
          </Space>
        ),
      };
    });
  }, [data, names, props.excludeIds, props.multiple, props.value]);

  const common = {
    id: props.id,
    showSearch: { filterOption: false, onSearch: setSearch },
    allowClear: props.allowClear ?? true,
    loading: isFetching,
    options,
    placeholder: props.placeholder ?? t('cmdb.ci.pickPlaceholder'),
    notFoundContent: isFetching ? t('common.loading') : t('common.noMatch'),
    style: { width: '100%', ...props.style },
    'data-testid': props.testId,
    optionLabelProp: 'title',
    onBlur: () => setSearch(''),
  };
  if (props.multiple) {
    const { onChange } = props;
    return <Select<string[]> {...common} mode="multiple" maxTagCount="responsive" value={props.value ?? []} onChange={(v) => onChange?.(v)} />;
  }
  const { onChange } = props;
  return <Select<string | undefined> {...common} value={props.value ?? undefined} onChange={(v) => onChange?.(v ?? undefined)} />;
}
