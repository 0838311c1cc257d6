import { useEffect } from 'react';
import { Form, Input, Modal, Radio, Select, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CiDetail, RelationType } from '@yunwei/contracts/cmdb';
import { feedback } from '../../../shared/feedback';
import { applyServerErrors } from '../../../shared/form-errors';
import { useCreateRelation, useGroups } from '../api/use-cmdb';
import { RELATION_PROPAGATES, RELATION_TYPES } from '../cmdb-meta';
import { CiPicker } from './ci-picker';

interface FormValues {
  direction: 'outgoing' | 'incoming';
  targetKind: 'ci' | 'group';
  otherId: string;
  type: RelationType;
  propagates: boolean;
  description?: string;
}

/**
 * A new relation of this CI: either "this CI relies on X" (outgoing; X may be a redundancy group)
 * or "X relies on this CI" (incoming).
 */
export function RelationFormModal({ ci, open, onClose }: { ci: CiDetail; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const create = useCreateRelation();
  const direction = Form.useWatch('direction', form);
  const targetKind = Form.useWatch('targetKind', form);
  const type = Form.useWatch('type', form);
  const groups = useGroups(undefined, open && targetKind === 'group');

  useEffect(() => {
    if (open) {
      form.resetFields();
    }
  }, [open, form]);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) {
      return;
    }
    const outgoing = v.direction === 'outgoing';
    create.mutate(
      {
        sourceId: outgoing ? ci.id : v.otherId,
        targetId: outgoing ? v.otherId : ci.id,
        targetKind: outgoing ? v.targetKind : 'ci',
        type: v.type,
        propagates: v.propagates,
        description: v.description ?? '',
      },
      {
        onSuccess: () => {
          void feedback.current?.message.success(t('cmdb.relation.created'));
          onClose();
        },
        onError: (error) => applyServerErrors(form, error, { targetId: 'otherId', sourceId: 'otherId' }),
      },
    );
  };

  return (
    <Modal
      open={open}
      title={t('cmdb.relation.createTitle', { name: ci.name })}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
      forceRender
      width={560}
    >
      <Form form={form} layout="vertical" name="relation-form" initialValues={{ direction: 'outgoing', targetKind: 'ci', type: 'depends_on', propagates: true }}>
        <Form.Item name="direction" label={t('cmdb.relation.direction')}>
          <Radio.Group
            optionType="button"
            onChange={() => form.setFieldsValue({ targetKind: 'ci', otherId: undefined })}
            options={[
              { value: 'outgoing', label: t('cmdb.relation.outgoingChoice') },
              { value: 'incoming', label: t('cmdb.relation.incomingChoice') },
            ]}
          />
        </Form.Item>
        <Form.Item name="type" label={t('cmdb.relation.type')} extra={type && <Typography.Text type="secondary">{t(`cmdb.relationReading.${type}`)}</Typography.Text>}>
          <Select
            options={RELATION_TYPES.map((r) => ({ value: r, label: t(`cmdb.relationType.${r}`) }))}
            onChange={(r: RelationType) => form.setFieldsValue({ propagates: RELATION_PROPAGATES[r] })}
          />
        </Form.Item>
        {direction === 'outgoing' && (
          <Form.Item name="targetKind" label={t('cmdb.relation.targetKind')}>
            <Radio.Group
              onChange={() => form.setFieldsValue({ otherId: undefined })}
              options={[
                { value: 'ci', label: t('cmdb.relation.kindCi') },
                { value: 'group', label: t('cmdb.relation.kindGroup') },
              ]}
            />
          </Form.Item>
        )}
        <Form.Item
          name="otherId"
          label={direction === 'incoming' ? t('cmdb.relation.source') : t('cmdb.relation.target')}
          rules={[{ required: true, message: t('cmdb.relation.validation.otherRequired') }]}
        >
          {direction === 'outgoing' && targetKind === 'group' ? (
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              loading={groups.isLoading}
              placeholder={t('cmdb.relation.groupPlaceholder')}
              notFoundContent={t('cmdb.group.none')}
              options={(groups.data?.items ?? []).map((g) => ({ value: g.id, label: t('cmdb.group.option', { name: g.name, minUp: g.minUp, members: g.members.length }) }))}
            />
          ) : (
            <CiPicker excludeIds={[ci.id]} />
          )}
        </Form.Item>
        <Form.Item name="propagates" label={t('cmdb.relation.propagates')} valuePropName="checked" tooltip={t('cmdb.relation.propagatesHelp')}>
          <Switch />
        </Form.Item>
        <Form.Item name="description" label={t('cmdb.relation.description')} rules={[{ max: 500, message: t('common.validation.maxLength', { max: 500 }) }]}>
          <Input />
        </Form.Item>
      </Form>
    </Modal>
  );
}
