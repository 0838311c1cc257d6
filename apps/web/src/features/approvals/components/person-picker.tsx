import { useEffect, useMemo, useState } from 'react';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { usePeople } from '../api/use-approvals';

interface PersonPickerProps {
  value?: string | null;
  onChange?: (value: string | null) => void;
  /** People who may not be picked (the reader, those who already approve this step). */
  exclude?: readonly string[];
  /** The current person's name, shown before any search (e.g. a unit's leader). */
  knownName?: string | null;
  placeholder?: string;
  id?: string;
  testId?: string;
}

/** Picks an active person by name or user name (any approver may: /api/approvals/people). */
export function PersonPicker({ value, onChange, exclude = [], knownName, placeholder, id, testId }: PersonPickerProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(search.trim()), 250);
    return () => clearTimeout(timer);
  }, [search]);
  const people = usePeople(q);
  const options = useMemo(() => {
    const list = (people.data ?? []).filter((p) => !exclude.includes(p.id)).map((p) => ({ value: p.id, label: `${p.name}（${p.username}）` }));
    if (value && !list.some((o) => o.value === value)) {
      list.unshift({ value, label: knownName ?? value });
    }
    return list;
  }, [people.data, exclude, value, knownName]);
  return (
    <Select<string | null>
      id={id}
      allowClear
      showSearch={{ filterOption: false, onSearch: setSearch }}
      loading={people.isFetching}
      options={options}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      placeholder={placeholder ?? t('approvals.action.pickPerson')}
      notFoundContent={t('common.noMatch')}
      style={{ width: '100%' }}
      data-testid={testId}
    />
  );
}
