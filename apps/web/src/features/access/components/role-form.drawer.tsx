import { useEffect } from 'react';
import { Alert, Button, Drawer, Form, Input, Skeleton, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Role } from '@yunwei/contracts/access';
import { usePermissionCatalogue, useSaveRole } from '../api/use-roles';
import { PermissionPicker } from './permission-picker';
import { useRoleDescription, useRoleKindLabel, useRoleName } from '../role-kind';
import { applyServerErrors } from '../../../shared/form-errors';
import { feedback } from '../../../shared/feedback';

interface RoleFormDrawerProps {
  open: boolean;
  /** null = create. */
  role: Role | null;
  canWrite: boolean;
  onClose: () => void;
}

interface FormValues {
  name: string;
  description: string;
  permissions: string[];
}

export function RoleFormDrawer({ open, role, canWrite, onClose }: RoleFormDrawerProps) {
  const { t } = useTranslation();
  const kindLabel = useRoleKindLabel();
  const roleName = useRoleName();
  const roleDescription = useRoleDescription();
  const [form] = Form.useForm<FormValues>();
  const catalogue = usePermissionCatalogue();
  const save = useSaveRole();
  const readOnly = !canWrite || Boolean(role?.builtin);

  useEffect(() => {
    if (!open) {
      return;
    }
    form.resetFields();
    form.setFieldsValue({
      // A built-in role is only viewed: in the reader's language.
      name: role ? roleName(role.name, role.kind) : '',
      description: role ? roleDescription(role.description, role.kind) : '',
      permissions: role?.permissions ?? [],
    });
  }, [open, role, form]);

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) {
      return;
    }
    const body = { name: values.name.trim(), description: values.description?.trim() ?? '', permissions: values.permissions ?? [] };
    save.mutate(
      { id: role?.id, body },
      {
        onSuccess: () => {
          void feedback.current?.message.success(role ? t('common.saved') : t('common.created'));
          onClose();
        },
        onError: (error) => applyServerErrors(form, error),
      },
    );
  };

  const title = !role ? t('role.createTitle') : readOnly ? t('role.viewTitle', { name: roleName(role.name, role.kind) }) : t('role.editTitle');

  return (
    <Drawer
      open={open}
      title={title}
      size={640}
      onClose={onClose}
      forceRender
      extra={
        <Space>
          <Button onClick={onClose}>{readOnly ? t('common.close') : t('common.cancel')}</Button>
          {!readOnly && (
            <Button type="primary" loading={save.isPending} onClick={() => void submit()}>
              {t('common.save')}
            </Button>
          )}
        </Space>
      }
    >
      {role?.builtin && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('role.builtinNotice', { kind: kindLabel(role.kind) })}
        />
      )}
      <Form form={form} layout="vertical" disabled={readOnly} name="role-form">
        <Form.Item
          name="name"
          label={t('role.field.name')}
          rules={[
            { required: true, whitespace: true, message: t('role.validation.nameRequired') },
            { max: 64, message: t('common.validation.maxLength', { max: 64 }) },
          ]}
        >
          <Input placeholder={t('role.placeholder.name')} />
        </Form.Item>
        <Form.Item
          name="description"
          label={t('role.field.description')}
          rules={[{ max: 500, message: t('common.validation.maxLength', { max: 500 }) }]}
        >
          <Input.TextArea rows={2} placeholder={t('role.placeholder.description')} />
        </Form.Item>
        <Form.Item
          name="permissions"
          label={t('role.field.permissions')}
          tooltip={t('role.help.permissions')}
          rules={[{ type: 'array', min: 1, message: t('role.validation.permissionsRequired') }]}
        >
          {catalogue.isLoading ? (
            <Skeleton active />
          ) : (
            <PermissionPicker catalogue={catalogue.data} disabled={readOnly} />
          )}
        </Form.Item>
      </Form>
    </Drawer>
  );
}
