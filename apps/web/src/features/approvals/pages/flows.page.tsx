import { useState } from 'react';
import { Button, Form, Input, Select, Space, Switch, Tag, type TableColumnsType } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { FormInstance } from 'antd';
import type { ApprovalFlow, ApprovalFlowCreate } from '@yunwei/contracts/approvals';
import { applyServerErrors, formFieldPath } from '../../../shared/form-errors';
import { ConfirmButton, runWithFeedback } from '../../../shared/confirm-mutation';
import { FormDrawer } from '../../../shared/components/form-drawer';
import { ListPage } from '../../../shared/components/list-page';
import { useLocalName } from '../../../shared/local-name';
import { matchesText } from '../../../shared/url-filters';
import { useUrlFilters } from '../../../shared/use-url-filters';
import { useUsers } from '../../identity/api/use-users';
import { useChannels } from '../../notify/api/use-notify';
import { useCreateFlow, useDeleteFlow, useFlows, useUpdateFlow } from '../api/use-approvals';
import { FlowStepsEditor, NEW_STEP, stepToValues, valuesToStep, type StepValues } from '../components/flow-steps-editor';

interface FormValues {
  code: string;
  nameZh: string;
  nameEn: string;
  enabled: boolean;
  escalationUserId: string | null;
  notifyChannelId: string | null;
  steps: StepValues[];
}

const toValues = (f: ApprovalFlow): FormValues => ({ code: f.code, nameZh: f.nameZh, nameEn: f.nameEn, enabled: f.enabled, escalationUserId: f.escalationUserId, notifyChannelId: f.notifyChannelId, steps: f.steps.map(stepToValues) });
const toBody = (v: FormValues): ApprovalFlowCreate => ({
  code: v.code,
  nameZh: v.nameZh.trim(),
  nameEn: v.nameEn.trim(),
  enabled: v.enabled,
  escalationUserId: v.escalationUserId ?? null,
  notifyChannelId: v.notifyChannelId ?? null,
  steps: v.steps.map(valuesToStep),
});

/** `body.steps.0.approvers.1.userId` lands on the step's user picker (the form splits approvers by kind). */
function flowFieldErrors(form: FormInstance<FormValues>, error: unknown): void {
  applyServerErrors(form, error);
  const fields = (error as { details?: { fields?: { field: string; message: string }[] } }).details?.fields ?? [];
  const steps = fields.flatMap((f) => {
    const path = formFieldPath(f.field);
    return path[0] === 'steps' && path[2] === 'approvers' ? [{ name: ['steps', Number(path[1]), 'userIds'] as ['steps', number, 'userIds'], errors: [f.message] }] : [];
  });
  form.setFields(steps);
}

/** 审批流程: who signs off what, per document type; create, change, enable or disable, delete. */
export default function ApprovalFlowsPage() {
  const { t } = useTranslation();
  const localName = useLocalName();
  const flows = useFlows();
  const create = useCreateFlow();
  const update = useUpdateFlow();
  const remove = useDeleteFlow();
  const users = useUsers({ limit: 500, offset: 0, status: 'active', sort: 'username', order: 'asc' });
  const channels = useChannels();
  const filters = useUrlFilters({ q: 'text' });
  const [editing, setEditing] = useState<ApprovalFlow | null | undefined>(undefined);
  const rows = (flows.data ?? []).filter((f) => matchesText(filters.values.q, f.code, f.nameZh, f.nameEn));

  const columns: TableColumnsType<ApprovalFlow> = [
    { title: t('approvals.flow.name'), key: 'name', render: (_, f) => <a onClick={() => setEditing(f)} data-testid={`flow-${f.code}`}>{localName(f.nameZh, f.nameEn)}</a> },
    { title: t('approvals.flow.code'), dataIndex: 'code', key: 'code', width: 180 },
    {
      title: t('approvals.flow.steps'),
      key: 'steps',
      render: (_, f) => (
        <Space size={4} wrap>
          {f.steps.map((s, i) => (
            <Tag key={i}>
              {i + 1}. {s.name} · {t(`approvals.mode.${s.mode}`)}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('approvals.flow.enabled'),
      key: 'enabled',
      width: 100,
      render: (_, f) => (
        <Switch
          checked={f.enabled}
          loading={update.isPending && update.variables?.id === f.id}
          onChange={(enabled) => void runWithFeedback({ run: () => update.mutateAsync({ id: f.id, body: { enabled } }), success: t(enabled ? 'approvals.flow.enabledOn' : 'approvals.flow.enabledOff') })}
          aria-label={t('approvals.flow.enabled')}
          data-testid={`flow-enabled-${f.code}`}
        />
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 160,
      render: (_, f) => (
        <Space size={0}>
          <Button type="link" icon={<EditOutlined />} onClick={() => setEditing(f)}>
            {t('common.edit')}
          </Button>
          <ConfirmButton
            label={t('common.delete')}
            title={t('approvals.flow.deleteConfirm', { name: localName(f.nameZh, f.nameEn) })}
            description={t('approvals.flow.deleteHint')}
            okText={t('common.delete')}
            run={() => remove.mutateAsync(f.id)}
            success={t('common.deleted')}
            testId={`flow-delete-${f.code}`}
          />
        </Space>
      ),
    },
  ];

  return (
    <ListPage<ApprovalFlow, 'q'>
      title={t('nav.items.approvalFlows')}
      description={t('approvals.flow.description')}
      pageTestId="approval-flows-page"
      emptyDescription={t('approvals.flow.empty')}
      primaryAction={{ label: t('approvals.flow.create'), icon: <PlusOutlined />, onClick: () => setEditing(null), testId: 'create-flow' }}
      filters={{ state: filters, items: [{ key: 'q', type: 'search', placeholder: t('approvals.flow.search') }] }}
      rowKey="id"
      columns={columns}
      dataSource={rows}
      loading={flows.isLoading}
      scroll={{ x: 900 }}
      cards={{ title: 'name', badges: ['enabled'], fields: ['code', 'steps'], actions: 'actions', onOpen: (f) => setEditing(f) }}
      data-testid="approval-flows-table"
    >
      <FormDrawer<FormValues, ApprovalFlow>
        open={editing !== undefined}
        editing={!!editing}
        name="flow-form"
        testId="flow-form"
        width={640}
        title={t('approvals.flow.createTitle')}
        editTitle={t('approvals.flow.editTitle', { name: editing ? localName(editing.nameZh, editing.nameEn) : '' })}
        initialValues={editing ? toValues(editing) : { enabled: true, steps: [{ ...NEW_STEP }], escalationUserId: null, notifyChannelId: null }}
        fieldErrors={flowFieldErrors}
        onSubmit={(v) => {
          const body = toBody(v);
          if (editing) {
            const { code: _code, ...patch } = body;
            return update.mutateAsync({ id: editing.id, body: patch });
          }
          return create.mutateAsync(body);
        }}
        onClose={() => setEditing(undefined)}
      >
        <Form.Item name="code" label={t('approvals.flow.code')} extra={t('approvals.flow.codeHelp')} rules={[{ required: true, message: t('approvals.flow.validation.code') }, { pattern: /^[a-z][a-z0-9_.-]*$/, message: t('approvals.flow.validation.codePattern') }, { max: 64 }]}>
          <Input disabled={!!editing} maxLength={64} placeholder="change.default" data-testid="flow-code" />
        </Form.Item>
        <Form.Item name="nameZh" label={t('approvals.flow.nameZh')} rules={[{ required: true, whitespace: true, message: t('approvals.flow.validation.nameZh') }, { max: 100 }]}>
          <Input maxLength={100} data-testid="flow-name-zh" />
        </Form.Item>
        <Form.Item name="nameEn" label={t('approvals.flow.nameEn')} rules={[{ required: true, whitespace: true, message: t('approvals.flow.validation.nameEn') }, { max: 100 }]}>
          <Input maxLength={100} data-testid="flow-name-en" />
        </Form.Item>
        <Form.Item name="enabled" label={t('approvals.flow.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <FlowStepsEditor />
        <Form.Item name="escalationUserId" label={t('approvals.flow.escalationUser')} extra={t('approvals.flow.escalationHelp')} style={{ marginTop: 16 }}>
          <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={(users.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.displayName}（${u.username}）` }))} />
        </Form.Item>
        <Form.Item name="notifyChannelId" label={t('approvals.flow.channel')} extra={t('approvals.flow.channelHelp')}>
          <Select allowClear options={(channels.data ?? []).map((c) => ({ value: c.id, label: c.name }))} />
        </Form.Item>
      </FormDrawer>
    </ListPage>
  );
}
