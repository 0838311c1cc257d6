import { useState } from 'react';
import { Button, Card, Form, Input, InputNumber, Select, Space, Switch, Tag, TreeSelect, Typography, type TableColumnsType } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { IncidentType, IncidentTypeInput, IncidentTypeRule } from '@yunwei/contracts/incidents';
import { FormDrawer } from '../../../shared/components/form-drawer';
import { ListTable } from '../../../shared/components/list-page';
import { ConfirmButton } from '../../../shared/confirm-mutation';
import { useDeleteIncidentType, useSaveIncidentType } from '../api/use-incidents';
import { typeTree } from '../incident-meta';

interface TypeRow extends IncidentType {
  children?: TypeRow[];
}

/** The types as nested rows (antd's tree table), in `sort` order. */
function rowsOf(types: readonly IncidentType[]): TypeRow[] {
  const byId = new Map(types.map((x) => [x.id, x]));
  const build = (parent: string | null): TypeRow[] =>
    types
      .filter((x) => (x.parentId && byId.has(x.parentId) ? x.parentId : null) === parent)
      .sort((a, b) => a.sort - b.sort || a.name.localeCompare(b.name))
      .map((x) => {
        const children = build(x.id);
        return children.length ? { ...x, children } : { ...x };
      });
  return build(null);
}

type TypeValues = Omit<IncidentTypeInput, 'rules'> & { rules: IncidentTypeRule[] };

const RULE_KINDS: IncidentTypeRule['kind'][] = ['checkType', 'metric', 'ciClass'];

const toInput = (v: TypeValues): IncidentTypeInput => ({
  parentId: v.parentId ?? null,
  code: v.code.trim(),
  nameZh: v.nameZh.trim(),
  nameEn: v.nameEn.trim(),
  description: v.description ?? '',
  rules: (v.rules ?? []).map((r) => ({ kind: r.kind, pattern: r.pattern.trim() })),
  sort: v.sort ?? 0,
  enabled: v.enabled,
});

const fromType = (x: IncidentType): TypeValues => ({ parentId: x.parentId, code: x.code, nameZh: x.nameZh, nameEn: x.nameEn, description: x.description, rules: x.rules, sort: x.sort, enabled: x.enabled });

/** 故障类型: a tree (add a child, edit, disable, delete) with the rules that suggest a type from an alert. */
export function TypesTab({ types, loading }: { types: IncidentType[]; loading: boolean }) {
  const { t } = useTranslation();
  const save = useSaveIncidentType();
  const remove = useDeleteIncidentType();
  // undefined: closed; { parentId }: a new type under it; a type: edit it.
  const [editing, setEditing] = useState<IncidentType | { parentId: string | null } | undefined>(undefined);
  const existing = editing && 'id' in editing ? editing : null;

  const columns: TableColumnsType<TypeRow> = [
    {
      title: t('incidents.config.type.name'),
      key: 'name',
      render: (_, x) => (
        <Space size={6}>
          <Typography.Text strong={!x.parentId}>{x.name}</Typography.Text>
          {!x.enabled && <Tag>{t('incidents.config.disabled')}</Tag>}
          {x.builtin && <Tag color="blue">{t('incidents.config.builtin')}</Tag>}
        </Space>
      ),
    },
    { title: t('incidents.config.code'), dataIndex: 'code', key: 'code', width: 170 },
    {
      title: t('incidents.config.type.rules'),
      key: 'rules',
      width: 320,
      render: (_, x) =>
        x.rules.length ? (
          <Space size={[4, 4]} wrap>
            {x.rules.map((r, i) => (
              <Tag key={i}>{`${t(`incidents.config.ruleKind.${r.kind}`)}: ${r.pattern}`}</Tag>
            ))}
          </Space>
        ) : (
          <Typography.Text type="secondary">{t('common.empty')}</Typography.Text>
        ),
    },
    { title: t('incidents.config.inUse'), dataIndex: 'inUse', key: 'inUse', width: 90 },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, x) => (
        <Space size={0} wrap>
          <Button type="link" size="small" onClick={() => setEditing({ parentId: x.id })} data-testid={`type-add-child-${x.code}`}>
            {t('incidents.config.type.addChild')}
          </Button>
          <Button type="link" size="small" onClick={() => setEditing(x)} data-testid={`type-edit-${x.code}`}>
            {t('common.edit')}
          </Button>
          <ConfirmButton
            label={x.enabled ? t('incidents.config.disable') : t('incidents.config.enable')}
            title={t(x.enabled ? 'incidents.config.type.disableConfirm' : 'incidents.config.type.enableConfirm', { name: x.name })}
            okText={x.enabled ? t('incidents.config.disable') : t('incidents.config.enable')}
            danger={x.enabled}
            run={() => save.mutateAsync({ id: x.id, body: { ...toInput(fromType(x)), enabled: !x.enabled } })}
            success={t('common.saved')}
          />
          {!x.builtin && (
            <ConfirmButton label={t('common.delete')} title={t('incidents.config.type.deleteConfirm', { name: x.name })} description={x.inUse ? t('incidents.config.inUseNote', { count: x.inUse }) : undefined} okText={t('common.delete')} run={() => remove.mutateAsync(x.id)} success={t('common.deleted')} />
          )}
        </Space>
      ),
    },
  ];

  return (
    <Card
      variant="borderless"
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ parentId: null })} data-testid="type-create">
          {t('incidents.config.type.create')}
        </Button>
      }
      title={t('incidents.config.type.help')}
      styles={{ header: { fontWeight: 'normal' } }}
    >
      {/* Remounted when the types arrive: antd expands all rows only on the first render. */}
      <ListTable<TypeRow> key={types.length} rowKey="id" columns={columns} dataSource={rowsOf(types)} loading={loading} pagination={false} expandable={{ defaultExpandAllRows: true }} empty={{ description: t('incidents.config.type.empty') }} data-testid="types-table" />
      <FormDrawer<TypeValues, IncidentType>
        open={editing !== undefined}
        editing={Boolean(existing)}
        name="incident-type"
        testId="type-form"
        title={t('incidents.config.type.createTitle')}
        editTitle={t('incidents.config.type.editTitle', { name: existing?.name ?? '' })}
        initialValues={existing ? fromType(existing) : { parentId: editing && !('id' in editing) ? editing.parentId : null, code: '', nameZh: '', nameEn: '', description: '', rules: [], sort: 0, enabled: true }}
        onSubmit={(v) => save.mutateAsync({ ...(existing ? { id: existing.id } : {}), body: toInput(v) })}
        onClose={() => setEditing(undefined)}
      >
        <Form.Item name="parentId" label={t('incidents.config.type.parent')}>
          <TreeSelect allowClear treeDefaultExpandAll treeData={typeTree(types.filter((x) => x.id !== existing?.id), { includeDisabled: true })} placeholder={t('incidents.config.type.topLevel')} />
        </Form.Item>
        <Form.Item name="code" label={t('incidents.config.code')} extra={t('incidents.config.codeHelp')} rules={[{ required: true, pattern: /^[a-z][a-z0-9_.-]*$/, message: t('incidents.config.codeRule') }, { max: 40 }]}>
          <Input disabled={Boolean(existing?.builtin)} data-testid="type-code" />
        </Form.Item>
        <Space wrap align="start">
          <Form.Item name="nameZh" label={t('incidents.config.nameZh')} rules={[{ required: true, whitespace: true }, { max: 60 }]}>
            <Input style={{ width: 250 }} data-testid="type-name-zh" />
          </Form.Item>
          <Form.Item name="nameEn" label={t('incidents.config.nameEn')} rules={[{ required: true, whitespace: true }, { max: 60 }]}>
            <Input style={{ width: 250 }} data-testid="type-name-en" />
          </Form.Item>
        </Space>
        <Form.Item name="description" label={t('incidents.config.description')} rules={[{ max: 1000 }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Form.Item label={t('incidents.config.type.rules')} extra={t('incidents.config.type.rulesHelp')}>
          <Form.List name="rules">
            {(fields, { add, remove: drop }) => (
              <Space direction="vertical" style={{ width: '100%' }}>
                {fields.map((field) => (
                  <Space key={field.key} align="start">
                    <Form.Item name={[field.name, 'kind']} rules={[{ required: true }]} noStyle>
                      <Select style={{ width: 140 }} options={RULE_KINDS.map((k) => ({ value: k, label: t(`incidents.config.ruleKind.${k}`) }))} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'pattern']} rules={[{ required: true, pattern: /^[A-Za-z0-9_:.*-]+$/, message: t('incidents.config.type.patternRule') }, { max: 100 }]} style={{ marginBottom: 0 }}>
                      <Input style={{ width: 260 }} placeholder="node_disk_* / http / host" />
                    </Form.Item>
                    <Button type="text" icon={<MinusCircleOutlined />} onClick={() => drop(field.name)} aria-label={t('common.delete')} />
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ kind: 'checkType', pattern: '' })} disabled={fields.length >= 30}>
                  {t('incidents.config.type.addRule')}
                </Button>
              </Space>
            )}
          </Form.List>
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
