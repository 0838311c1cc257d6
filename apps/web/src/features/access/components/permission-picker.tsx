import { useMemo } from 'react';
import { Empty, Space, Tag, Tree, Typography } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useTranslation } from 'react-i18next';
import type { Duty, PermissionGroup } from '@yunwei/contracts/access';
import { localized } from '../../../app/i18n';
import { useLanguage } from '../../../app/use-language';

const GROUP_PREFIX = 'module:';

/** 三员分立 duty tag colours: audit stands apart from the two administrative duties. */
const DUTY_COLOURS: Record<Duty, string> = { system: 'blue', security: 'orange', audit: 'purple' };

/** The fallback (ids only) knows no duty: its entries show no duty tag. */
type PickerGroup = Omit<PermissionGroup, 'permissions'> & {
  permissions: (Omit<PermissionGroup['permissions'][number], 'duty' | 'administrative'> & { duty?: Duty })[];
};

interface PermissionPickerProps {
  value?: string[];
  onChange?: (value: string[]) => void;
  /** Grouped catalogue from GET /api/permissions; without it, ids are grouped by their module prefix. */
  catalogue?: PermissionGroup[];
  /** Only offer these permissions (e.g. an API token may only carry the user's own). */
  restrictTo?: readonly string[];
  disabled?: boolean;
  id?: string;
}

function fallbackCatalogue(ids: readonly string[]): PickerGroup[] {
  const groups = new Map<string, PickerGroup>();
  for (const id of [...ids].sort()) {
    const module = id.split('.')[0] ?? id;
    const group = groups.get(module) ?? { module, name: { zh: module, en: module }, permissions: [] };
    group.permissions.push({ id, module, name: { zh: id, en: id }, reserved: false });
    groups.set(module, group);
  }
  return [...groups.values()];
}

/** Permissions grouped by module, as a checkable tree (name in the UI language, id shown small). */
export function PermissionPicker({ value = [], onChange, catalogue, restrictTo, disabled, id }: PermissionPickerProps) {
  const { t } = useTranslation();
  const [language] = useLanguage();

  const treeData = useMemo<DataNode[]>(() => {
    const allowed = restrictTo ? new Set(restrictTo) : null;
    const groups: PickerGroup[] = catalogue ?? fallbackCatalogue(restrictTo ?? []);
    return groups
      .map((group) => ({
        group,
        permissions: group.permissions.filter((permission) => !allowed || allowed.has(permission.id)),
      }))
      .filter((entry) => entry.permissions.length > 0)
      .map(({ group, permissions }) => ({
        key: `${GROUP_PREFIX}${group.module}`,
        title: (
          <Typography.Text strong>
            {localized(group.name, language)}
            <Typography.Text type="secondary" style={{ fontWeight: 'normal', marginLeft: 8, fontSize: 12 }}>
              {group.module}
            </Typography.Text>
          </Typography.Text>
        ),
        children: permissions.map((permission) => ({
          key: permission.id,
          title: (
            <Space size={8} wrap>
              <span>{localized(permission.name, language)}</span>
              <Typography.Text type="secondary" code style={{ fontSize: 12 }}>
                {permission.id}
              </Typography.Text>
              {permission.duty && (
                <Tag color={DUTY_COLOURS[permission.duty]} variant="outlined" title={t('permission.dutyHelp')} data-duty={permission.duty}>
                  {t(`permission.duty.${permission.duty}`)}
                </Tag>
              )}
              {permission.reserved && (
                <Tag color="volcano" variant="outlined" title={t('permission.reservedHelp')}>
                  {t('permission.reserved')}
                </Tag>
              )}
            </Space>
          ),
        })),
      }));
  }, [catalogue, restrictTo, language, t]);

  if (treeData.length === 0) {
    return <Empty description={t('permission.empty')} image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  }

  return (
    <div id={id} data-testid="permission-picker">
      <Tree
        checkable
        selectable={false}
        defaultExpandAll
        disabled={disabled}
        treeData={treeData}
        checkedKeys={value}
        onCheck={(checked) => {
          const keys = Array.isArray(checked) ? checked : checked.checked;
          onChange?.(keys.map(String).filter((key) => !key.startsWith(GROUP_PREFIX)));
        }}
      />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('permission.selectedCount', { count: value.length })}
      </Typography.Text>
    </div>
  );
}
