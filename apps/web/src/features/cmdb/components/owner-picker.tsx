import { useEffect, useMemo, useState, type CSSProperties } from 'react';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { User } from '@yunwei/contracts/identity';
import { useUsers } from '../../identity/api/use-users';

interface OwnerPickerProps {
  value?: string | null;
  onChange?: (value: string | null) => void;
  /** The current owner's name, shown before any search. */
  knownName?: string | null;
  placeholder?: string;
  style?: CSSProperties;
  id?: string;
}

/** Picks a user as a CI's owner, searching by user name or display name (needs identity.user.read). */
export function OwnerPicker({ value, onChange, knownName, placeholder, style, id }: OwnerPickerProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(search.trim()), 250);
    return () => clearTimeout(timer);
  }, [search]);
  const { data, isFetching } = useUsers({ q: q || undefined, limit: 20, offset: 0, sort: 'username', order: 'asc' });
  const options = useMemo(() => {
    const users: User[] = data?.items ?? [];
    const list = users.map((u) => ({ value: u.id, label: `${u.displayName}（${u.username}）` }));
    if (value && !list.some((o) => o.value === value)) {
      list.unshift({ value, label: knownName ?? value });
    }
    return list;
  }, [data, value, knownName]);
  return (
    <Select<string | null>
      id={id}
      allowClear
      showSearch={{ filterOption: false, onSearch: setSearch }}
      loading={isFetching}
      options={options}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      placeholder={placeholder ?? t('cmdb.ci.ownerPlaceholder')}
      notFoundContent={t('common.noMatch')}
      style={{ width: '100%', ...style }}
    />
  );
}
