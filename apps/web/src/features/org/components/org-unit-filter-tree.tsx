import { useMemo } from 'react';
import { Card, Empty, Tree } from 'antd';
import { ApartmentOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { OrgUnit } from '@yunwei/contracts/org';
import { buildOrgTree } from '../org-tree';

const ALL = '__all__';

interface OrgUnitFilterTreeProps {
  units: OrgUnit[];
  value: string | null;
  onChange: (id: string | null) => void;
}

/** "All units" plus the unit tree; picks the unit whose users are listed. */
export function OrgUnitFilterTree({ units, value, onChange }: OrgUnitFilterTreeProps) {
  const { t } = useTranslation();
  const treeData = useMemo(
    () => [{ key: ALL, title: t('org.allUnits'), icon: <ApartmentOutlined />, children: buildOrgTree(units) }],
    [units, t],
  );
  return (
    <Card variant="borderless" title={t('org.treeTitle')} size="small" style={{ marginBottom: 16 }}>
      {units.length === 0 && (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('org.empty')}>
          <Link to="/platform/org-units">{t('org.toOrgUnits')}</Link>
        </Empty>
      )}
      {units.length > 0 && (
        <Tree
          blockNode
          showIcon
          defaultExpandAll
          treeData={treeData}
          selectedKeys={[value ?? ALL]}
          onSelect={(keys) => {
            const key = keys[0] ? String(keys[0]) : ALL;
            onChange(key === ALL ? null : key);
          }}
          data-testid="user-org-filter"
        />
      )}
    </Card>
  );
}
