import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CiClass } from '@yunwei/contracts/cmdb';
import { useAuth } from '../../../app/auth-context';
import { localized } from '../../../app/i18n';
import { useLanguage } from '../../../app/use-language';
import type { FilterItem } from '../../../shared/components/list-page';
import { OrgUnitTreeSelect } from '../../org/components/org-unit-tree-select';
import { CI_STATUSES } from '../cmdb-meta';
import { CiPicker } from './ci-picker';
import { OwnerPicker } from './owner-picker';
import type { CiFilterKey } from './use-ci-query';

/** The CI list's filter bar: text, class, subtype, status, unit, owner, business system. */
export function useCiFilterItems(classId: string, classes: readonly CiClass[]): FilterItem<CiFilterKey>[] {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const { can } = useAuth();
  const cls = classes.find((c) => c.id === classId);
  // Subtypes of the chosen class, or of every class when none is chosen.
  const subtypes = (cls ? [cls] : classes).flatMap((c) => c.subtypes.map((s) => ({ value: s.key, label: localized(s.name, language) })));
  const uniqueSubtypes = [...new Map(subtypes.map((s) => [s.value, s])).values()];
  const businessClass = classes.find((c) => c.businessSystem);
  const items: (FilterItem<CiFilterKey> | false)[] = [
    { key: 'q', type: 'search', placeholder: t('cmdb.ci.searchPlaceholder') },
    {
      key: 'classId',
      type: 'custom',
      render: (value, set) => (
        <Select
          allowClear
          style={{ width: 170 }}
          placeholder={t('cmdb.ci.field.class')}
          value={value || undefined}
          showSearch={{ optionFilterProp: 'label' }}
          onChange={(id?: string) => set(id ?? '')}
          options={classes.map((c) => ({ value: c.id, label: `${localized(c.name, language)} (${c.ciCount})` }))}
          data-testid="filter-classId"
        />
      ),
    },
    uniqueSubtypes.length > 0 && { key: 'subtype', type: 'select', placeholder: t('cmdb.ci.field.subtype'), options: uniqueSubtypes, width: 130 },
    { key: 'status', type: 'select', placeholder: t('cmdb.ci.field.status'), options: CI_STATUSES.map((s) => ({ value: s, label: t(`cmdb.status.${s}`) })), width: 120 },
    can('org.unit.read') && {
      key: 'orgUnitId',
      type: 'custom',
      render: (value, set) => <OrgUnitTreeSelect style={{ width: 180 }} placeholder={t('cmdb.ci.field.orgUnit')} value={value || null} onChange={(id) => set(id ?? '')} />,
    },
    can('identity.user.read') && {
      key: 'ownerId',
      type: 'custom',
      render: (value, set) => <OwnerPicker style={{ width: 170 }} placeholder={t('cmdb.ci.field.owner')} value={value || null} onChange={(id) => set(id ?? '')} />,
    },
    businessClass !== undefined && {
      key: 'businessSystemId',
      type: 'custom',
      render: (value, set) => (
        <CiPicker style={{ width: 200 }} classId={businessClass.id} placeholder={t('cmdb.ci.filterBusinessSystem')} value={value || null} onChange={(id) => set(id ?? '')} />
      ),
    },
  ];
  return items.filter((item) => item !== false);
}
