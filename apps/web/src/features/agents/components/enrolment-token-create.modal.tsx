import { Form, Input, InputNumber } from 'antd';
import { useTranslation } from 'react-i18next';
import type { EnrolmentTokenCreated } from '@yunwei/contracts/agents';
import { useCreateEnrolmentToken } from '../api/use-agents';
import { FormModal } from '../../../shared/components/form-modal';
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
  const create = useCreateEnrolmentToken();

  return (
    <FormModal<FormValues, EnrolmentTokenCreated>
      open={open}
      title={t('agents.token.createTitle')}
      name="enrolment-token-form"
      submitText={t('agents.token.createOk')}
      initialValues={{ expiresInHours: 24 }}
      onSubmit={(values) => create.mutateAsync({ name: values.name.trim(), expiresInHours: values.expiresInHours, ...(values.orgUnitId ? { orgUnitId: values.orgUnitId } : {}) })}
      // The install command shown next is the confirmation.
      success={null}
      onSaved={onCreated}
      onClose={onClose}
    >
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
    </FormModal>
  );
}
