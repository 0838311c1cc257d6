import { Form, Input, Radio, Select, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CiDetail, Relation, RelationType } from '@yunwei/contracts/cmdb';
import { FormModal } from '../../../shared/components/form-modal';
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
 * or "X relies on this CI" (incoming); `direction` is the side chosen when it opens.
 */
export function RelationFormModal({ ci, open, direction: initialDirection = 'outgoing', onClose }: { ci: CiDetail; open: boolean; direction?: FormValues['direction']; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const create = useCreateRelation();
  const direction = Form.useWatch('direction', form);
  const targetKind = Form.useWatch('targetKind', form);
  const type = Form.useWatch('type', form);
  const groups = useGroups(undefined, open && targetKind === 'group');

  const submit = (v: FormValues) => {
    const outgoing = v.direction === 'outgoing';
    return create.mutateAsync({
      sourceId: outgoing ? ci.id : v.otherId,
      targetId: outgoing ? v.otherId : ci.id,
      targetKind: outgoing ? v.targetKind : 'ci',
      type: v.type,
      propagates: v.propagates,
      description: v.description ?? '',
    });
  };

  return (
    <FormModal<FormValues, Relation>
      open={open}
      form={form}
      name="relation-form"
      width={560}
      title={t('cmdb.relation.createTitle', { name: ci.name })}
      initialValues={{ direction: initialDirection, targetKind: 'ci', type: 'depends_on', propagates: true }}
      onSubmit={submit}
      success={t('cmdb.relation.created')}
      // The other end is one field, whichever side of the relation it is.
      fieldErrors={{ targetId: 'otherId', sourceId: 'otherId' }}
      onClose={onClose}
    >
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
    </FormModal>
  );
}
