import { Form, Input, InputNumber } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CiRef, RedundancyGroup } from '@yunwei/contracts/cmdb';
import { FormModal } from '../../../shared/components/form-modal';
import { useCreateGroup, useUpdateGroup } from '../api/use-cmdb';
import { CiPicker } from './ci-picker';

interface FormValues {
  name: string;
  minUp: number;
  memberIds: string[];
  description?: string;
}

interface GroupFormModalProps {
  open: boolean;
  /** null = create, with `initialMember` preselected. */
  group: RedundancyGroup | null;
  initialMember?: CiRef;
  onClose: () => void;
}

/** A redundancy group: members and the minimum of them that must be up for the group to work. */
export function GroupFormModal({ open, group, initialMember, onClose }: GroupFormModalProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const create = useCreateGroup();
  const update = useUpdateGroup();
  const members = Form.useWatch('memberIds', form) ?? [];

  const submit = (v: FormValues) => {
    const body = { name: v.name.trim(), minUp: v.minUp, memberIds: v.memberIds, description: v.description ?? '' };
    return group ? update.mutateAsync({ id: group.id, body }) : create.mutateAsync(body);
  };

  const known = [...(group?.members ?? []).map((m) => ({ id: m.id, name: m.name, classCode: m.classCode })), ...(initialMember ? [initialMember] : [])];
  return (
    <FormModal<FormValues, RedundancyGroup>
      open={open}
      editing={Boolean(group)}
      form={form}
      name="group-form"
      width={560}
      title={t('cmdb.group.createTitle')}
      editTitle={t('cmdb.group.editTitle', { name: group?.name })}
      initialValues={
        group
          ? { name: group.name, minUp: group.minUp, memberIds: group.members.map((m) => m.id), description: group.description }
          : { minUp: 1, memberIds: initialMember ? [initialMember.id] : [] }
      }
      onSubmit={submit}
      onClose={onClose}
    >
      <Form.Item name="name" label={t('cmdb.group.name')} rules={[{ required: true, whitespace: true, message: t('cmdb.group.validation.nameRequired') }, { max: 128 }]}>
        <Input placeholder={t('cmdb.group.namePlaceholder')} />
      </Form.Item>
      <Form.Item name="memberIds" label={t('cmdb.group.members')} rules={[{ required: true, type: 'array', min: 1, message: t('cmdb.group.validation.membersRequired') }]}>
        <CiPicker multiple known={known} />
      </Form.Item>
      <Form.Item
        name="minUp"
        label={t('cmdb.group.minUp')}
        tooltip={t('cmdb.group.minUpHelp')}
        rules={[
          { required: true, message: t('cmdb.group.validation.minUpRequired') },
          { type: 'number', min: 1, max: Math.max(1, members.length), message: t('cmdb.group.validation.minUpRange', { max: Math.max(1, members.length) }) },
        ]}
      >
        <InputNumber min={1} precision={0} style={{ width: 160 }} addonAfter={t('cmdb.group.ofMembers', { count: members.length })} />
      </Form.Item>
      <Form.Item name="description" label={t('cmdb.group.description')}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} />
      </Form.Item>
    </FormModal>
  );
}
