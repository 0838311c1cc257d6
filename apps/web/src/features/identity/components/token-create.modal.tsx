import { Form, Input, InputNumber, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../../app/auth-context';
import { useCreateToken, type CreatedToken } from '../api/use-tokens';
import { usePermissionCatalogue } from '../../access/api/use-roles';
import { PermissionPicker } from '../../access/components/permission-picker';
import { FormModal } from '../../../shared/components/form-modal';

interface FormValues {
  name: string;
  scopes: string[];
  expiresInDays: number;
}

interface TokenCreateModalProps {
  open: boolean;
  onClose: () => void;
  onCreated: (created: CreatedToken) => void;
}

export function TokenCreateModal({ open, onClose, onCreated }: TokenCreateModalProps) {
  const { t } = useTranslation();
  const { session } = useAuth();
  const catalogue = usePermissionCatalogue();
  const create = useCreateToken();

  return (
    <FormModal<FormValues, CreatedToken>
      open={open}
      title={t('token.createTitle')}
      name="token-form"
      width={680}
      submitText={t('token.createOk')}
      initialValues={{ expiresInDays: 90, scopes: [] }}
      onSubmit={(values) => create.mutateAsync({ name: values.name.trim(), scopes: values.scopes, expiresInDays: values.expiresInDays })}
      // The secret shown next is the confirmation.
      success={null}
      onSaved={onCreated}
      onClose={onClose}
    >
      <Form.Item
        name="name"
        label={t('token.field.name')}
        rules={[
          { required: true, whitespace: true, message: t('token.validation.nameRequired') },
          { max: 64, message: t('common.validation.maxLength', { max: 64 }) },
        ]}
      >
        <Input placeholder={t('token.placeholder.name')} />
      </Form.Item>
      <Form.Item
        name="expiresInDays"
        label={t('token.field.expiresInDays')}
        extra={t('token.help.expiresInDays')}
        rules={[{ required: true, type: 'number', min: 1, max: 3650, message: t('token.validation.expiresInDays') }]}
      >
        <InputNumber min={1} max={3650} precision={0} style={{ width: 200 }} suffix={t('common.unit.days')} />
      </Form.Item>
      <Form.Item
        name="scopes"
        label={t('token.field.scopes')}
        extra={t('token.help.scopes')}
        rules={[{ type: 'array', min: 1, message: t('token.validation.scopesRequired') }]}
      >
        {catalogue.isLoading ? <Skeleton active /> : <PermissionPicker catalogue={catalogue.data} restrictTo={session?.permissions ?? []} />}
      </Form.Item>
    </FormModal>
  );
}
