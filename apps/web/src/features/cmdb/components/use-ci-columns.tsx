import type { ReactNode } from 'react';
import { Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Ci, CiClass, CiListItem, CiQuery } from '@yunwei/contracts/cmdb';
import { localized } from '../../../app/i18n';
import { useLanguage } from '../../../app/use-language';
import { DateTime } from '../../../shared/components/date-time';
import { ClassTag, StatusTag } from './ci-tags';

function sortOrder(query: CiQuery, field: string) {
  if (query.sort !== field) {
    return null;
  }
  return query.order === 'desc' ? ('descend' as const) : ('ascend' as const);
}

/** Columns of the CI table; sorting is done by the server (name, status, IP, times). */
export function useCiColumns(query: CiQuery, classes: readonly CiClass[], actions: (ci: Ci) => ReactNode): TableColumnsType<CiListItem> {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const muted = (text: string | null | undefined) => text || <Typography.Text type="secondary">{t('common.empty')}</Typography.Text>;
  const subtypeName = (ci: Ci) => {
    const subtype = classes.find((c) => c.id === ci.classId)?.subtypes.find((s) => s.key === ci.subtype);
    return subtype ? localized(subtype.name, language) : ci.subtype;
  };
  return [
    {
      key: 'name',
      title: t('cmdb.ci.field.name'),
      dataIndex: 'name',
      sorter: true,
      sortOrder: sortOrder(query, 'name'),
      fixed: 'left',
      width: 180,
      ellipsis: true,
      render: (_, ci) => (
        <Link to={`/cmdb/cis/${ci.id}`} data-testid={`ci-link-${ci.name}`}>
          {ci.name}
        </Link>
      ),
    },
    {
      key: 'class',
      title: t('cmdb.ci.field.class'),
      width: 170,
      render: (_, ci) => (
        <span style={{ whiteSpace: 'nowrap' }}>
          <ClassTag code={ci.classCode} name={ci.className} />
          {ci.subtype && <Typography.Text type="secondary"> · {subtypeName(ci)}</Typography.Text>}
        </span>
      ),
    },
    {
      key: 'businessSystems',
      title: t('cmdb.ci.field.businessSystems'),
      width: 170,
      render: (_, ci) => {
        const systems = ci.businessSystems ?? [];
        if (systems.length === 0) {
          return muted(null);
        }
        const shown = systems.slice(0, 2);
        return (
          <span style={{ display: 'inline-flex', flexWrap: 'wrap', gap: 4 }}>
            {shown.map((b) => (
              <Tag key={b.id} color="gold" style={{ marginInlineEnd: 0 }}>
                <Link to={`/cmdb/cis/${b.id}`}>{b.name}</Link>
              </Tag>
            ))}
            {systems.length > shown.length && (
              <Tooltip title={systems.slice(shown.length).map((b) => b.name).join('、')}>
                <Tag style={{ marginInlineEnd: 0 }}>+{systems.length - shown.length}</Tag>
              </Tooltip>
            )}
          </span>
        );
      },
    },
    { key: 'status', title: t('cmdb.ci.field.status'), dataIndex: 'status', width: 90, sorter: true, sortOrder: sortOrder(query, 'status'), render: (_, ci) => <StatusTag status={ci.status} /> },
    { key: 'ip', title: t('cmdb.ci.field.ip'), dataIndex: 'ip', width: 130, sorter: true, sortOrder: sortOrder(query, 'ip'), render: (_, ci) => muted(ci.ip) },
    { key: 'hostname', title: t('cmdb.ci.field.hostname'), dataIndex: 'hostname', width: 160, ellipsis: true, render: (_, ci) => muted(ci.hostname) },
    { key: 'owner', title: t('cmdb.ci.field.owner'), width: 100, ellipsis: true, render: (_, ci) => muted(ci.ownerName) },
    { key: 'orgUnit', title: t('cmdb.ci.field.orgUnit'), width: 170, ellipsis: true, render: (_, ci) => muted(ci.orgUnitName) },
    {
      key: 'updatedAt',
      title: t('common.updatedAt'),
      width: 170,
      sorter: true,
      sortOrder: sortOrder(query, 'updatedAt'),
      render: (_, ci) => <DateTime value={ci.updatedAt} />,
    },
    { key: 'actions', title: t('common.actions'), fixed: 'right', width: 110, render: (_, ci) => actions(ci) },
  ];
}
