import { Form, Input, InputNumber } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OrgUnit, OrgUnitCreate } from '@yunwei/contracts/org';
import { useSaveOrgUnit } from '../api/use-org-units';
import { OrgUnitTreeSelect } from './org-unit-tree-select';
import { FormModal } from '../../../shared/components/form-modal';
import { PersonPicker } from '../../approvals/components/person-picker';

interface OrgUnitFormModalProps {
  open: boolean;
  /** Editing this unit; otherwise creating one under `parentId`. */
  unit?: OrgUnit | null;
  parentId?: string | null;
  onClose: () => void;
  onSaved?: (unit: OrgUnit) => void;
}

interface FormValues {
  name: string;
  code?: string;
  parentId?: string | null;
  sortOrder?: number | null;
  leaderId?: string | null;
}

const toBody = (values: FormValues): OrgUnitCreate => ({
  name: values.name.trim(),
  code: values.code?.trim() ?? '',
  parentId: values.parentId ?? null,
  sortOrder: values.sortOrder ?? 0,
  leaderId: values.leaderId ?? null,
});

export function OrgUnitFormModal({ open, unit, parentId, onClose, onSaved }: OrgUnitFormModalProps) {
  const { t } = useTranslation();
  const save = useSaveOrgUnit();

  return (
    <FormModal<FormValues, OrgUnit>
      open={open}
      editing={!!unit}
      title={t('org.createTitle')}
      editTitle={t('org.editTitle')}
      name="org-unit-form"
      initialValues={unit ? { name: unit.name, code: unit.code, parentId: unit.parentId, sortOrder: unit.sortOrder, leaderId: unit.leaderId } : { name: '', code: '', parentId: parentId ?? null, sortOrder: 0, leaderId: null }}
      onSubmit={(values) => save.mutateAsync({ id: unit?.id, values: toBody(values) })}
      onSaved={onSaved}
      onClose={onClose}
    >
      <Form.Item
        name="name"
        label={t('org.field.name')}
        rules={[
          { required: true, whitespace: true, message: t('org.validation.nameRequired') },
          { max: 64, message: t('common.validation.maxLength', { max: 64 }) },
        ]}
      >
        <Input placeholder={t('org.placeholder.name')} autoFocus />
      </Form.Item>
      <Form.Item
        name="code"
        label={t('org.field.code')}
        tooltip={t('org.help.code')}
        rules={[
          { pattern: /^[A-Za-z0-9_-]*$/, message: t('org.validation.codePattern') },
          { max: 32, message: t('common.validation.maxLength', { max: 32 }) },
        ]}
      >
        <Input placeholder={t('org.placeholder.code')} />
      </Form.Item>
      <Form.Item name="parentId" label={t('org.field.parent')} tooltip={t('org.help.parent')}>
        <OrgUnitTreeSelect excludeSubtreeOf={unit?.id} placeholder={t('org.placeholder.parent')} />
      </Form.Item>
      <Form.Item name="leaderId" label={t('org.field.leader')} tooltip={t('org.field.leaderHelp')}>
        <PersonPicker knownName={unit?.leaderName} placeholder={t('org.field.leaderPlaceholder')} testId="org-unit-leader" />
      </Form.Item>
      <Form.Item name="sortOrder" label={t('org.field.sortOrder')} tooltip={t('org.help.sortOrder')}>
        <InputNumber min={0} max={100000} precision={0} style={{ width: '100%' }} />
      </Form.Item>
    </FormModal>
  );
}
