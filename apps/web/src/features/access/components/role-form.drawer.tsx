import { Alert, Form, Input, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Role } from '@yunwei/contracts/access';
import { usePermissionCatalogue, useSaveRole } from '../api/use-roles';
import { PermissionPicker } from './permission-picker';
import { useRoleDescription, useRoleKindLabel, useRoleName } from '../role-kind';
import { FormDrawer } from '../../../shared/components/form-drawer';

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
  const catalogue = usePermissionCatalogue();
  const save = useSaveRole();
  const readOnly = !canWrite || Boolean(role?.builtin);

  return (
    <FormDrawer<FormValues, Role>
      open={open}
      editing={Boolean(role)}
      readOnly={readOnly}
      name="role-form"
      testId="role-form"
      width={640}
      title={t('role.createTitle')}
      editTitle={role && readOnly ? t('role.viewTitle', { name: roleName(role.name, role.kind) }) : t('role.editTitle')}
      initialValues={{
        // A built-in role is only viewed: in the reader's language.
        name: role ? roleName(role.name, role.kind) : '',
        description: role ? roleDescription(role.description, role.kind) : '',
        permissions: role?.permissions ?? [],
      }}
      onSubmit={(values) => save.mutateAsync({ id: role?.id, body: { name: values.name.trim(), description: values.description?.trim() ?? '', permissions: values.permissions ?? [] } })}
      onClose={onClose}
    >
      {role?.builtin && <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('role.builtinNotice', { kind: kindLabel(role.kind) })} />}
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
      <Form.Item name="description" label={t('role.field.description')} rules={[{ max: 500, message: t('common.validation.maxLength', { max: 500 }) }]}>
        <Input.TextArea rows={2} placeholder={t('role.placeholder.description')} />
      </Form.Item>
      <Form.Item name="permissions" label={t('role.field.permissions')} tooltip={t('role.help.permissions')} rules={[{ type: 'array', min: 1, message: t('role.validation.permissionsRequired') }]}>
        {catalogue.isLoading ? <Skeleton active /> : <PermissionPicker catalogue={catalogue.data} disabled={readOnly} />}
      </Form.Item>
    </FormDrawer>
  );
}
