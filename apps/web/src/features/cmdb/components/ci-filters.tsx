import { Button, Input, Select, Space } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { CiClass, CiQuery } from '@yunwei/contracts/cmdb';
import { useAuth } from '../../../app/auth-context';
import { localized } from '../../../app/i18n';
import { useLanguage } from '../../../app/use-language';
import { OrgUnitTreeSelect } from '../../org/components/org-unit-tree-select';
import { CI_STATUSES } from '../cmdb-meta';
import { CiPicker } from './ci-picker';
import { OwnerPicker } from './owner-picker';

interface CiFiltersProps {
  query: CiQuery;
  classes: readonly CiClass[];
  onChange: (patch: Partial<CiQuery>) => void;
  onRefresh: () => void;
}

/** Search and filters of the CI list: text, class, subtype, status, unit, owner, business system. */
export function CiFilters({ query, classes, onChange, onRefresh }: CiFiltersProps) {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const { can } = useAuth();
  const cls = classes.find((c) => c.id === query.classId);
  // Subtypes of the chosen class, or of every class when none is chosen.
  const subtypes = (cls ? [cls] : classes).flatMap((c) => c.subtypes.map((s) => ({ value: s.key, label: localized(s.name, language) })));
  const uniqueSubtypes = [...new Map(subtypes.map((s) => [s.value, s])).values()];
  const businessClass = classes.find((c) => c.businessSystem);
  const hasFilters = Boolean(query.q || query.classId || query.subtype || query.status || query.orgUnitId || query.ownerId || query.businessSystemId);

  return (
    <Space style={{ marginBottom: 16 }} wrap data-testid="ci-filters">
      <Input.Search
        key={query.q ?? ''}
        allowClear
        defaultValue={query.q}
        placeholder={t('cmdb.ci.searchPlaceholder')}
        style={{ width: 260 }}
        onSearch={(value) => onChange({ q: value.trim() || undefined })}
        data-testid="ci-search"
      />
      <Select
        allowClear
        style={{ width: 170 }}
        placeholder={t('cmdb.ci.field.class')}
        value={query.classId}
        showSearch={{ optionFilterProp: 'label' }}
        onChange={(classId?: string) => onChange({ classId, subtype: undefined })}
        options={classes.map((c) => ({ value: c.id, label: `${localized(c.name, language)} (${c.ciCount})` }))}
        data-testid="ci-filter-class"
      />
      <Select
        allowClear
        style={{ width: 130 }}
        placeholder={t('cmdb.ci.field.subtype')}
        value={query.subtype}
        disabled={uniqueSubtypes.length === 0}
        onChange={(subtype?: string) => onChange({ subtype })}
        options={uniqueSubtypes}
      />
      <Select
        allowClear
        style={{ width: 120 }}
        placeholder={t('cmdb.ci.field.status')}
        value={query.status}
        onChange={(status?: CiQuery['status']) => onChange({ status })}
        options={CI_STATUSES.map((s) => ({ value: s, label: t(`cmdb.status.${s}`) }))}
      />
      {can('org.unit.read') && (
        <OrgUnitTreeSelect style={{ width: 180 }} placeholder={t('cmdb.ci.field.orgUnit')} value={query.orgUnitId ?? null} onChange={(id) => onChange({ orgUnitId: id ?? undefined })} />
      )}
      {can('identity.user.read') && (
        <OwnerPicker style={{ width: 170 }} placeholder={t('cmdb.ci.field.owner')} value={query.ownerId ?? null} onChange={(id) => onChange({ ownerId: id ?? undefined })} />
      )}
      {businessClass && (
        <CiPicker
          style={{ width: 200 }}
          classId={businessClass.id}
          placeholder={t('cmdb.ci.filterBusinessSystem')}
          value={query.businessSystemId ?? null}
          onChange={(id) => onChange({ businessSystemId: id })}
        />
      )}
      <Button icon={<ReloadOutlined />} onClick={onRefresh}>
        {t('common.refresh')}
      </Button>
      {hasFilters && (
        <Button type="link" onClick={() => onChange({ q: undefined, classId: undefined, subtype: undefined, status: undefined, orgUnitId: undefined, ownerId: undefined, businessSystemId: undefined })}>
          {t('cmdb.ci.clearFilters')}
        </Button>
      )}
    </Space>
  );
}
