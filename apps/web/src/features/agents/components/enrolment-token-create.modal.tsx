import { useEffect } from 'react';
import { Form, Input, InputNumber, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { EnrolmentTokenCreated } from '@yunwei/contracts/agents';
import { useCreateEnrolmentToken } from '../api/use-agents';
import { applyServerErrors } from '../../../shared/form-errors';
import { OrgUnitTreeSelect } from '../../org/components/org-unit-tree-select';

interface FormValues {
  name: string;
  expiresInHours: number;
  /** Where the host CI it enrols is created; empty: the server's default (your own unit). */
  orgUnitId?: string | null;
}

interface Props {
  open: boolean;
  onClose: () => void;
  onCreated: (created: EnrolmentTokenCreated) => void;
}

export function EnrolmentTokenCreateModal({ open, onClose, onCreated }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const create = useCreateEnrolmentToken();

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
      { name: values.name.trim(), expiresInHours: values.expiresInHours, ...(values.orgUnitId ? { orgUnitId: values.orgUnitId } : {}) },
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
      title={t('agents.token.createTitle')}
      okText={t('agents.token.createOk')}
      cancelText={t('common.cancel')}
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={create.isPending}
      forceRender
    >
      <Form form={form} layout="vertical" name="enrolment-token-form" initialValues={{ expiresInHours: 24 }}>
        <Form.Item
          name="name"
          label={t('agents.token.field.name')}
          extra={t('agents.token.help.name')}
          rules={[
            { required: true, whitespace: true, message: t('agents.token.validation.nameRequired') },
            { max: 64, message: t('common.validation.maxLength', { max: 64 }) },
          ]}
        >
          <Input placeholder={t('agents.token.placeholder.name')} />
        </Form.Item>
        <Form.Item
          name="expiresInHours"
          label={t('agents.token.field.expiresInHours')}
          extra={t('agents.token.help.expiresInHours')}
          rules={[{ required: true, type: 'number', min: 1, max: 720, message: t('agents.token.validation.expiresInHours') }]}
        >
          <InputNumber min={1} max={720} precision={0} style={{ width: 200 }} suffix={t('agents.unit.hours')} />
        </Form.Item>
        <Form.Item name="orgUnitId" label={t('scopes.field.orgUnit')} extra={t('scopes.help.tokenOrgUnit')}>
          <OrgUnitTreeSelect placeholder={t('scopes.placeholder.ownUnit')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
