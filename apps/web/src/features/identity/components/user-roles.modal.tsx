import { useEffect } from 'react';
import { Alert, Button, Card, Flex, Form, Modal, Radio, Select, Tag, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { RoleAssignment } from '@yunwei/contracts/access';
import type { User } from '@yunwei/contracts/identity';
import { useAssignRoles } from '../api/use-users';
import { useAllRoles } from '../../access/api/use-roles';
import { roleKindColor, useRoleKindLabel, useRoleName } from '../../access/role-kind';
import { OrgUnitTreeSelect } from '../../org/components/org-unit-tree-select';
import { feedback } from '../../../shared/feedback';
import { applyServerErrors } from '../../../shared/form-errors';

interface Row {
  roleId?: string;
  scope: 'all' | 'units';
  orgUnitIds?: string[];
}

export function UserRolesModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation();
  const kindLabel = useRoleKindLabel();
  const roleName = useRoleName();
  const [form] = Form.useForm<{ rows: Row[] }>();
  const roles = useAllRoles();
  const assign = useAssignRoles();
  const resetAssign = assign.reset;

  useEffect(() => {
    if (!user) {
      return;
    }
    resetAssign();
    form.setFieldsValue({
      rows: user.roles.map((role) => ({
        roleId: role.roleId,
        scope: role.orgUnitIds === null ? 'all' : 'units',
        orgUnitIds: role.orgUnitIds ?? [],
      })),
    });
  }, [user, form, resetAssign]);

  const submit = async () => {
    if (!user) {
      return;
    }
    const values = await form.validateFields().catch(() => null);
    if (!values) {
      return;
    }
    const { rows = [] } = values;
    const assignments: RoleAssignment[] = rows
      .filter((row): row is Row & { roleId: string } => Boolean(row.roleId))
      .map((row) => ({ roleId: row.roleId, orgUnitIds: row.scope === 'all' ? null : (row.orgUnitIds ?? []) }));
    assign.mutate(
      { id: user.id, assignments },
      {
        onSuccess: () => {
          void feedback.current?.message.success(t('user.rolesSaved', { name: user.username }));
          onClose();
        },
        // `body.assignments.<n>.orgUnitIds` is row n's unit picker (rows without a role are not sent, and the form requires one).
        onError: (error) => applyServerErrors(form, error, { assignments: 'rows' }),
      },
    );
  };

  const roleOptions = (roles.data ?? []).map((role) => ({
    value: role.id,
    label: roleName(role.name, role.kind),
    kind: role.kind,
  }));

  return (
    <Modal
      open={user !== null}
      title={t('user.rolesTitle', { name: user ? `${user.displayName} (${user.username})` : '' })}
      width={720}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={assign.isPending}
      forceRender
    >
      <Typography.Paragraph type="secondary">{t('user.rolesHelp')}</Typography.Paragraph>
      {assign.error && (
        <Alert type="error" showIcon style={{ marginBottom: 16 }} title={assign.error.message} data-testid="roles-error" />
      )}
      <Form form={form} layout="vertical" name="user-roles-form">
        <Form.List name="rows">
          {(fields, { add, remove }) => (
            <Flex vertical gap={12}>
              {fields.map((field) => (
                <Card key={field.key} size="small" styles={{ body: { paddingBottom: 0 } }}>
                  <Flex gap={12} align="start" wrap>
                    <Form.Item
                      name={[field.name, 'roleId']}
                      label={t('user.field.role')}
                      style={{ flex: '1 1 200px' }}
                      rules={[{ required: true, message: t('user.validation.roleRequired') }]}
                    >
                      <Select
                        showSearch
                        optionFilterProp="label"
                        loading={roles.isLoading}
                        placeholder={t('user.placeholder.role')}
                        options={roleOptions}
                        optionRender={(option) => (
                          <Flex justify="space-between" gap={8}>
                            <span>{option.data.label}</span>
                            <Tag color={roleKindColor(option.data.kind)}>{kindLabel(option.data.kind)}</Tag>
                          </Flex>
                        )}
                      />
                    </Form.Item>
                    <Form.Item name={[field.name, 'scope']} label={t('user.field.scope')} initialValue="all">
                      <Radio.Group
                        optionType="button"
                        options={[
                          { value: 'all', label: t('user.scope.all') },
                          { value: 'units', label: t('user.scope.units') },
                        ]}
                      />
                    </Form.Item>
                    <Button
                      type="text"
                      danger
                      icon={<DeleteOutlined />}
                      style={{ marginTop: 30 }}
                      onClick={() => remove(field.name)}
                      aria-label={t('user.removeRole')}
                    />
                  </Flex>
                  <Form.Item noStyle dependencies={[['rows', field.name, 'scope']]}>
                    {({ getFieldValue }) =>
                      getFieldValue(['rows', field.name, 'scope']) === 'units' && (
                        <Form.Item
                          name={[field.name, 'orgUnitIds']}
                          label={t('user.field.scopeUnits')}
                          tooltip={t('user.help.scopeUnits')}
                          rules={[{ type: 'array', min: 1, message: t('user.validation.scopeUnitsRequired') }]}
                        >
                          <OrgUnitTreeSelect multiple placeholder={t('user.placeholder.scopeUnits')} />
                        </Form.Item>
                      )
                    }
                  </Form.Item>
                </Card>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ scope: 'all', orgUnitIds: [] })} block>
                {t('user.addRole')}
              </Button>
            </Flex>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
