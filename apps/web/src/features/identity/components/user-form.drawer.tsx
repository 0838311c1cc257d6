import { Alert, Form, Input, Radio, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { User, UserCreate, UserUpdate } from '@yunwei/contracts/identity';
import { useAuth } from '../../../app/auth-context';
import { useCreateUser, useUpdateUser } from '../api/use-users';
import { useAllRoles } from '../../access/api/use-roles';
import { OrgUnitTreeSelect } from '../../org/components/org-unit-tree-select';
import { FormDrawer } from '../../../shared/components/form-drawer';
import { PasswordFields } from './password-fields';
import { useRoleName } from '../../access/role-kind';

interface UserFormDrawerProps {
  open: boolean;
  /** null = create. */
  user: User | null;
  onClose: () => void;
}

interface FormValues {
  username: string;
  displayName: string;
  email?: string;
  phone?: string;
  orgUnitId?: string | null;
  status?: 'active' | 'disabled';
  password?: string;
  passwordConfirm?: string;
  roleIds?: string[];
}

export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]*$/;
const PHONE_PATTERN = /^[0-9+() -]*$/;

export function UserFormDrawer({ open, user, onClose }: UserFormDrawerProps) {
  const { t } = useTranslation();
  const roleName = useRoleName();
  const { can } = useAuth();
  const create = useCreateUser();
  const update = useUpdateUser();
  const roles = useAllRoles();
  const canPickUnit = can('org.unit.read');
  const canAssign = can('access.assignment.write') && can('access.role.read');

  const submit = (values: FormValues): Promise<User> => {
    const contact = {
      displayName: values.displayName.trim(),
      email: values.email?.trim() ?? '',
      phone: values.phone?.trim() ?? '',
      ...(canPickUnit ? { orgUnitId: values.orgUnitId ?? null } : {}),
    };
    if (user) {
      const body: UserUpdate = { ...contact, status: values.status };
      return update.mutateAsync({ id: user.id, body });
    }
    // The initial password is the administrator's to pass on; the user must change it at first sign-in.
    const body: UserCreate = {
      ...contact,
      username: values.username.trim(),
      password: values.password ?? '',
      ...(canAssign && values.roleIds?.length ? { roles: values.roleIds.map((roleId) => ({ roleId, orgUnitIds: null })) } : {}),
    };
    return create.mutateAsync(body);
  };

  return (
    <FormDrawer<FormValues, User>
      open={open}
      editing={Boolean(user)}
      name="user-form"
      testId="user-form"
      width={520}
      title={t('user.createTitle')}
      editTitle={t('user.editTitle', { name: user?.username })}
      initialValues={
        user
          ? { username: user.username, displayName: user.displayName, email: user.email, phone: user.phone, orgUnitId: user.orgUnitId, status: user.status }
          : { status: 'active', roleIds: [] }
      }
      onSubmit={submit}
      success={user ? undefined : t('user.created')}
      // The roles picked at creation are the body's `roles`.
      fieldErrors={{ roles: 'roleIds' }}
      onClose={onClose}
    >
      <Form.Item
        name="username"
        label={t('user.field.username')}
        tooltip={user ? undefined : t('user.help.username')}
        rules={[
          { required: true, whitespace: true, message: t('user.validation.usernameRequired') },
          { min: 2, max: 64, message: t('user.validation.usernameLength') },
          { pattern: USERNAME_PATTERN, message: t('user.validation.usernamePattern') },
        ]}
      >
        <Input disabled={Boolean(user)} placeholder={t('user.placeholder.username')} autoComplete="off" />
      </Form.Item>
      <Form.Item
        name="displayName"
        label={t('user.field.displayName')}
        rules={[
          { required: true, whitespace: true, message: t('user.validation.displayNameRequired') },
          { max: 64, message: t('common.validation.maxLength', { max: 64 }) },
        ]}
      >
        <Input placeholder={t('user.placeholder.displayName')} />
      </Form.Item>
      <Form.Item name="email" label={t('user.field.email')} rules={[{ type: 'email', message: t('user.validation.email') }]}>
        <Input placeholder={t('user.placeholder.email')} />
      </Form.Item>
      <Form.Item
        name="phone"
        label={t('user.field.phone')}
        rules={[
          { pattern: PHONE_PATTERN, message: t('user.validation.phone') },
          { max: 32, message: t('common.validation.maxLength', { max: 32 }) },
        ]}
      >
        <Input placeholder={t('user.placeholder.phone')} />
      </Form.Item>
      {canPickUnit && (
        <Form.Item name="orgUnitId" label={t('user.field.orgUnit')}>
          <OrgUnitTreeSelect placeholder={t('user.placeholder.orgUnit')} />
        </Form.Item>
      )}
      {user ? (
        <Form.Item name="status" label={t('user.field.status')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'active', label: t('user.status.active') },
              { value: 'disabled', label: t('user.status.disabled') },
            ]}
          />
        </Form.Item>
      ) : (
        <>
          <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('user.help.initialPassword')} />
          <PasswordFields name="password" label={t('user.field.initialPassword')} autoComplete="new-password" />
          {canAssign && (
            <Form.Item name="roleIds" label={t('user.field.roles')} tooltip={t('user.help.rolesOnCreate')}>
              <Select
                mode="multiple"
                allowClear
                loading={roles.isLoading}
                placeholder={t('user.placeholder.roles')}
                optionFilterProp="label"
                options={(roles.data ?? []).map((role) => ({ value: role.id, label: roleName(role.name, role.kind) }))}
              />
            </Form.Item>
          )}
        </>
      )}
    </FormDrawer>
  );
}
