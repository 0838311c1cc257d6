import { useEffect } from 'react';
import { Form, Input, InputNumber, Modal, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../../app/auth-context';
import { useCreateToken, type CreatedToken } from '../api/use-tokens';
import { usePermissionCatalogue } from '../../access/api/use-roles';
import { PermissionPicker } from '../../access/components/permission-picker';
import { applyServerErrors } from '../../../shared/form-errors';

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
  const [form] = Form.useForm<FormValues>();
  const catalogue = usePermissionCatalogue();
  const create = useCreateToken();

  useEffect(() => {
    if (open) {
      form.resetFields();
    }
  }, [open, form]);

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) {
      return;
    }
    create.mutate(
      { name: values.name.trim(), scopes: values.scopes, expiresInDays: values.expiresInDays },
      {
        onSuccess: (created) => {
          onClose();
          onCreated(created);
        },
        onError: (error) => applyServerErrors(form, error),
      },
    );
  };

  return (
    <Modal
      open={open}
      title={t('token.createTitle')}
      width={680}
      okText={t('token.createOk')}
      cancelText={t('common.cancel')}
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={create.isPending}
      forceRender
    >
      <Form form={form} layout="vertical" name="token-form" initialValues={{ expiresInDays: 90, scopes: [] }}>
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
          {catalogue.isLoading ? (
            <Skeleton active />
          ) : (
            <PermissionPicker catalogue={catalogue.data} restrictTo={session?.permissions ?? []} />
          )}
        </Form.Item>
      </Form>
    </Modal>
  );
}
