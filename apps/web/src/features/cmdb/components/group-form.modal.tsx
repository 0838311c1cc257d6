import { useEffect } from 'react';
import { Form, Input, InputNumber, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CiRef, RedundancyGroup } from '@yunwei/contracts/cmdb';
import { feedback } from '../../../shared/feedback';
import { applyServerErrors } from '../../../shared/form-errors';
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

  useEffect(() => {
    if (!open) {
      return;
    }
    form.resetFields();
    form.setFieldsValue(
      group
        ? { name: group.name, minUp: group.minUp, memberIds: group.members.map((m) => m.id), description: group.description }
        : { minUp: 1, memberIds: initialMember ? [initialMember.id] : [] },
    );
  }, [open, group, initialMember, form]);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) {
      return;
    }
    const body = { name: v.name.trim(), minUp: v.minUp, memberIds: v.memberIds, description: v.description ?? '' };
    const onSuccess = () => {
      void feedback.current?.message.success(t('common.saved'));
      onClose();
    };
    const onError = (error: unknown) => applyServerErrors(form, error);
    if (group) {
      update.mutate({ id: group.id, body }, { onSuccess, onError });
    } else {
      create.mutate(body, { onSuccess, onError });
    }
  };

  const known = [...(group?.members ?? []).map((m) => ({ id: m.id, name: m.name, classCode: m.classCode })), ...(initialMember ? [initialMember] : [])];
  return (
    <Modal
      open={open}
      title={group ? t('cmdb.group.editTitle', { name: group.name }) : t('cmdb.group.createTitle')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending || update.isPending}
      forceRender
      width={560}
    >
      <Form form={form} layout="vertical" name="group-form">
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
      </Form>
    </Modal>
  );
}
