import { useState } from 'react';
import { Button, Card, Form, Input, InputNumber, Space, Switch, Tag, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { IncidentNature, IncidentNatureInput } from '@yunwei/contracts/incidents';
import { FormDrawer } from '../../../shared/components/form-drawer';
import { ListTable } from '../../../shared/components/list-page';
import { ConfirmButton } from '../../../shared/confirm-mutation';
import { useDeleteIncidentNature, useSaveIncidentNature } from '../api/use-incidents';

const toInput = (v: IncidentNatureInput): IncidentNatureInput => ({
  code: v.code.trim(),
  nameZh: v.nameZh.trim(),
  nameEn: v.nameEn.trim(),
  guidanceZh: v.guidanceZh ?? '',
  guidanceEn: v.guidanceEn ?? '',
  sort: v.sort ?? 0,
  enabled: v.enabled,
});

const fromNature = (x: IncidentNature): IncidentNatureInput => ({ code: x.code, nameZh: x.nameZh, nameEn: x.nameEn, guidanceZh: x.guidanceZh, guidanceEn: x.guidanceEn, sort: x.sort, enabled: x.enabled });

/** 故障性质: each with the guidance shown to whoever picks it. */
export function NaturesTab({ natures, loading }: { natures: IncidentNature[]; loading: boolean }) {
  const { t } = useTranslation();
  const save = useSaveIncidentNature();
  const remove = useDeleteIncidentNature();
  const [editing, setEditing] = useState<IncidentNature | null | undefined>(undefined);
  const rows = [...natures].sort((a, b) => a.sort - b.sort);
  const columns: TableColumnsType<IncidentNature> = [
    {
      title: t('incidents.config.nature.name'),
      key: 'name',
      render: (_, x) => (
        <Space size={6}>
          <Typography.Text strong>{x.name}</Typography.Text>
          {!x.enabled && <Tag>{t('incidents.config.disabled')}</Tag>}
          {x.builtin && <Tag color="blue">{t('incidents.config.builtin')}</Tag>}
        </Space>
      ),
    },
    { title: t('incidents.config.code'), dataIndex: 'code', key: 'code' },
    { title: t('incidents.config.nature.guidance'), key: 'guidance', render: (_, x) => <Typography.Paragraph style={{ margin: 0, maxWidth: 520 }} ellipsis={{ rows: 2, tooltip: x.guidance }}>{x.guidance || t('common.empty')}</Typography.Paragraph> },
    { title: t('incidents.config.inUse'), dataIndex: 'inUse', key: 'inUse', width: 90 },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, x) => (
        <Space size={0} wrap>
          <Button type="link" size="small" onClick={() => setEditing(x)} data-testid={`nature-edit-${x.code}`}>
            {t('common.edit')}
          </Button>
          {!x.builtin && <ConfirmButton label={t('common.delete')} title={t('incidents.config.nature.deleteConfirm', { name: x.name })} description={x.inUse ? t('incidents.config.inUseNote', { count: x.inUse }) : undefined} okText={t('common.delete')} run={() => remove.mutateAsync(x.id)} success={t('common.deleted')} />}
        </Space>
      ),
    },
  ];
  return (
    <Card
      variant="borderless"
      title={t('incidents.config.nature.help')}
      styles={{ header: { fontWeight: 'normal' } }}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid="nature-create">
          {t('incidents.config.nature.create')}
        </Button>
      }
    >
      <ListTable<IncidentNature> rowKey="id" columns={columns} dataSource={rows} loading={loading} pagination={false} empty={{ description: t('incidents.config.nature.empty') }} data-testid="natures-table" />
      <FormDrawer<IncidentNatureInput, IncidentNature>
        open={editing !== undefined}
        editing={Boolean(editing)}
        name="incident-nature"
        testId="nature-form"
        title={t('incidents.config.nature.createTitle')}
        editTitle={t('incidents.config.nature.editTitle', { name: editing?.name ?? '' })}
        initialValues={editing ? fromNature(editing) : { code: '', nameZh: '', nameEn: '', guidanceZh: '', guidanceEn: '', sort: 0, enabled: true }}
        onSubmit={(v) => save.mutateAsync({ ...(editing ? { id: editing.id } : {}), body: toInput(v) })}
        onClose={() => setEditing(undefined)}
      >
        <Form.Item name="code" label={t('incidents.config.code')} extra={t('incidents.config.codeHelp')} rules={[{ required: true, pattern: /^[a-z][a-z0-9_.-]*$/, message: t('incidents.config.codeRule') }, { max: 40 }]}>
          <Input disabled={Boolean(editing?.builtin)} />
        </Form.Item>
        <Space wrap align="start">
          <Form.Item name="nameZh" label={t('incidents.config.nameZh')} rules={[{ required: true, whitespace: true }, { max: 60 }]}>
            <Input style={{ width: 250 }} />
          </Form.Item>
          <Form.Item name="nameEn" label={t('incidents.config.nameEn')} rules={[{ required: true, whitespace: true }, { max: 60 }]}>
            <Input style={{ width: 250 }} />
          </Form.Item>
        </Space>
        <Form.Item name="guidanceZh" label={t('incidents.config.nature.guidanceZh')} extra={t('incidents.config.nature.guidanceHelp')} rules={[{ max: 2000 }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Form.Item name="guidanceEn" label={t('incidents.config.nature.guidanceEn')} rules={[{ max: 2000 }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="sort" label={t('incidents.config.sort')}>
            <InputNumber min={0} max={10_000} precision={0} />
          </Form.Item>
          <Form.Item name="enabled" label={t('incidents.config.enabled')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Space>
      </FormDrawer>
    </Card>
  );
}
