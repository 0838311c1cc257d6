import { Button, Card, Descriptions, Empty, Space, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { OrgUnit } from '@yunwei/contracts/org';
import { useDeleteOrgUnit } from '../api/use-org-units';
import { unitPath } from '../org-tree';
import { DateTime } from '../../../shared/components/date-time';
import { ConfirmButton } from '../../../shared/confirm-mutation';

interface OrgUnitDetailProps {
  unit: OrgUnit | undefined;
  units: OrgUnit[];
  canWrite: boolean;
  onEdit: (unit: OrgUnit) => void;
  onAddChild: (unit: OrgUnit) => void;
  onDeleted: () => void;
}

export function OrgUnitDetail({ unit, units, canWrite, onEdit, onAddChild, onDeleted }: OrgUnitDetailProps) {
  const { t } = useTranslation();
  const remove = useDeleteOrgUnit();

  if (!unit) {
    return (
      <Card variant="borderless" title={t('org.detailTitle')}>
        <Empty description={t('org.selectHint')} />
      </Card>
    );
  }
  const childCount = units.filter((item) => item.parentId === unit.id).length;
  const blocked = childCount > 0 || unit.userCount > 0;

  return (
    <Card
      variant="borderless"
      title={unit.name}
      data-testid="org-unit-detail"
      extra={
        canWrite && (
          <Space>
            <Button icon={<PlusOutlined />} onClick={() => onAddChild(unit)}>
              {t('org.addChild')}
            </Button>
            <Button icon={<EditOutlined />} onClick={() => onEdit(unit)}>
              {t('common.edit')}
            </Button>
            <ConfirmButton
              variant="default"
              icon={<DeleteOutlined />}
              label={t('common.delete')}
              title={t('org.deleteConfirmTitle')}
              description={
                <>
                  {t('org.deleteConfirm', { name: unit.name })}
                  {blocked && (
                    <Typography.Text type="warning" style={{ display: 'block', maxWidth: 280 }}>
                      {t('org.deleteBlocked')}
                    </Typography.Text>
                  )}
                </>
              }
              okText={t('common.delete')}
              run={() => remove.mutateAsync(unit.id)}
              success={t('common.deleted')}
              onDone={onDeleted}
            />
          </Space>
        )
      }
    >
      <Descriptions
        column={1}
        bordered
        size="middle"
        items={[
          { key: 'name', label: t('org.field.name'), children: unit.name },
          { key: 'code', label: t('org.field.code'), children: unit.code || t('common.empty') },
          {
            key: 'path',
            label: t('org.field.path'),
            children: unitPath(units, unit.id),
          },
          { key: 'children', label: t('org.field.childCount'), children: childCount },
          { key: 'users', label: t('org.field.userCount'), children: unit.userCount },
          { key: 'sortOrder', label: t('org.field.sortOrder'), children: unit.sortOrder },
          { key: 'createdAt', label: t('common.createdAt'), children: <DateTime value={unit.createdAt} /> },
          { key: 'updatedAt', label: t('common.updatedAt'), children: <DateTime value={unit.updatedAt} /> },
        ]}
      />
    </Card>
  );
}
