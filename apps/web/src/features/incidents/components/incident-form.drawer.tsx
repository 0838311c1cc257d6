import { useEffect } from 'react';
import { Alert, Button, DatePicker, Divider, Form, Input, Radio, Select, Space, Switch, TreeSelect } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { INCIDENT_LEVELS, INCIDENT_LIMITS, INCIDENT_MAJOR_ROLES, type Incident, type IncidentCreate, type IncidentLevel, type IncidentUpdate } from '@yunwei/contracts/incidents';
import { useAuth } from '../../../app/auth-context';
import { FormDrawer } from '../../../shared/components/form-drawer';
import { CiPicker } from '../../cmdb/components/ci-picker';
import { useCreateIncident, useIncidentOptions, useUpdateIncident } from '../api/use-incidents';
import { typeTree } from '../incident-meta';
import { useIncidentNames } from './incident-tags';
import { LivePriority } from './priority-matrix';

interface FormValues {
  title: string;
  description?: string;
  typeId?: string | null;
  natureId?: string | null;
  impact: IncidentLevel;
  urgency: IncidentLevel;
  ciIds: string[];
  detectedAt?: Dayjs;
  assigneeId?: string | null;
  groupId?: string | null;
  major: boolean;
  majorRoles: { commander?: string | null; techLead?: string | null; communications?: string | null };
}

const toValues = (x: Incident): FormValues => ({
  title: x.title,
  description: x.description,
  typeId: x.type?.id ?? null,
  natureId: x.nature?.id ?? null,
  impact: x.impact,
  urgency: x.urgency,
  ciIds: x.cis.map((c) => c.id),
  major: x.major,
  majorRoles: { commander: x.majorRoles.commander?.id ?? null, techLead: x.majorRoles.techLead?.id ?? null, communications: x.majorRoles.communications?.id ?? null },
});

function commonBody(v: FormValues) {
  return {
    title: v.title.trim(),
    description: v.description ?? '',
    typeId: v.typeId ?? null,
    natureId: v.natureId ?? null,
    impact: v.impact,
    urgency: v.urgency,
    ciIds: v.ciIds ?? [],
    major: v.major,
    majorRoles: v.major ? { commander: v.majorRoles?.commander ?? null, techLead: v.majorRoles?.techLead ?? null, communications: v.majorRoles?.communications ?? null } : {},
  };
}

const toCreate = (v: FormValues): IncidentCreate => ({
  ...commonBody(v),
  ...(v.detectedAt ? { detectedAt: v.detectedAt.valueOf() } : {}),
  assigneeId: v.assigneeId ?? null,
  groupId: v.groupId ?? null,
});

export interface IncidentFormProps {
  /** undefined: closed; null: a new incident; an incident: edit it (sends the version read). */
  editing: Incident | null | undefined;
  onClose: () => void;
  onSaved?: (incident: Incident) => void;
  /** Editing only: the server said someone else changed it (409). */
  conflict?: boolean;
  onConflict?: () => void;
  onReload?: () => void;
}

/** 登记故障 / 编辑故障: what happened, its type and nature, impact × urgency → priority, CIs, people. */
export function IncidentFormDrawer({ editing, onClose, onSaved, conflict, onConflict, onReload }: IncidentFormProps) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const names = useIncidentNames();
  const [form] = Form.useForm<FormValues>();
  const open = editing !== undefined;
  const options = useIncidentOptions(open);
  const create = useCreateIncident();
  const update = useUpdateIncident();
  const impact = Form.useWatch('impact', form);
  const urgency = Form.useWatch('urgency', form);
  const natureId = Form.useWatch('natureId', form);
  const major = Form.useWatch('major', form);
  // 重新加载 after a conflict hands in the incident as it is now: the form shows it.
  const version = editing?.version;
  useEffect(() => {
    if (version !== undefined) {
      form.resetFields();
    }
  }, [version, form]);
  const natures = (options.data?.natures ?? []).filter((n) => n.enabled || n.id === editing?.nature?.id);
  const nature = natures.find((n) => n.id === natureId);
  const people = (options.data?.people ?? []).map((p) => ({ value: p.id, label: `${p.name} (${p.username})` }));
  const groups = (options.data?.groups ?? []).map((g) => ({ value: g.id, label: g.name }));
  const levels = INCIDENT_LEVELS.map((l) => ({ value: l, label: names.level(l) }));
  const person = { allowClear: true, showSearch: { optionFilterProp: 'label' }, options: people, loading: options.isLoading };

  const submit = async (v: FormValues) => {
    try {
      if (editing) {
        const body: IncidentUpdate = { ...commonBody(v), version: editing.version };
        return await update.mutateAsync({ id: editing.id, body });
      }
      return await create.mutateAsync(toCreate(v));
    } catch (error) {
      if (error && typeof error === 'object' && (error as { code?: string }).code === 'YW_INCIDENT_VERSION_CONFLICT') {
        onConflict?.();
      }
      throw error;
    }
  };

  return (
    <FormDrawer<FormValues, Incident>
      open={open}
      editing={Boolean(editing)}
      form={form}
      name="incident"
      testId="incident-form"
      width={720}
      title={t('incidents.createTitle')}
      editTitle={t('incidents.editTitle', { number: editing?.number ?? '' })}
      initialValues={editing ? toValues(editing) : { impact: 2, urgency: 2, ciIds: [], major: false, majorRoles: {}, detectedAt: dayjs() }}
      onSubmit={submit}
      onSaved={onSaved}
      onClose={onClose}
      success={editing ? t('common.saved') : t('incidents.created')}
    >
      {conflict && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('incidents.conflict')}
          description={t('incidents.conflictHelp')}
          action={
            <Button
              size="small"
              onClick={onReload}
              data-testid="incident-form-reload"
            >
              {t('incidents.reload')}
            </Button>
          }
          data-testid="incident-form-conflict"
        />
      )}
      <Form.Item name="title" label={t('incidents.field.title')} rules={[{ required: true, whitespace: true, message: t('incidents.titleRequired') }, { max: INCIDENT_LIMITS.title, message: t('common.validation.maxLength', { max: INCIDENT_LIMITS.title }) }]}>
        <Input data-testid="incident-title" placeholder={t('incidents.titlePlaceholder')} />
      </Form.Item>
      <Form.Item name="description" label={t('incidents.field.description')} rules={[{ max: INCIDENT_LIMITS.description, message: t('common.validation.maxLength', { max: INCIDENT_LIMITS.description }) }]}>
        <Input.TextArea rows={4} placeholder={t('incidents.descriptionPlaceholder')} data-testid="incident-description" />
      </Form.Item>
      <Space wrap align="start" style={{ width: '100%' }}>
        <Form.Item name="typeId" label={t('incidents.field.type')} style={{ minWidth: 300 }}>
          <TreeSelect
            allowClear
            showSearch
            treeNodeFilterProp="title"
            treeNodeLabelProp="path"
            treeDefaultExpandAll
            loading={options.isLoading}
            treeData={typeTree(options.data?.types ?? [], { keep: editing?.type?.id })}
            placeholder={t('incidents.typePlaceholder')}
            data-testid="incident-type"
          />
        </Form.Item>
        <Form.Item name="natureId" label={t('incidents.field.nature')} style={{ minWidth: 300 }} extra={nature?.guidance ? <span data-testid="nature-guidance">{nature.guidance}</span> : undefined}>
          <Select allowClear loading={options.isLoading} options={natures.map((n) => ({ value: n.id, label: n.name }))} placeholder={t('incidents.naturePlaceholder')} data-testid="incident-nature" />
        </Form.Item>
      </Space>
      <Space wrap align="start" size="large">
        <Form.Item name="impact" label={t('incidents.field.impact')} extra={t('incidents.impactHelp')} rules={[{ required: true }]}>
          <Radio.Group optionType="button" options={levels} data-testid="incident-impact" />
        </Form.Item>
        <Form.Item name="urgency" label={t('incidents.field.urgency')} extra={t('incidents.urgencyHelp')} rules={[{ required: true }]}>
          <Radio.Group optionType="button" options={levels} data-testid="incident-urgency" />
        </Form.Item>
        <Form.Item label={t('incidents.field.priority')} extra={t('incidents.priorityHelp')}>
          <LivePriority matrix={options.data?.matrix} impact={impact} urgency={urgency} />
        </Form.Item>
      </Space>
      <Form.Item name="ciIds" label={t('incidents.field.cis')} extra={t('incidents.cisHelp')}>
        {can('cmdb.ci.read') ? <CiPicker multiple known={editing?.cis.map((c) => ({ id: c.id, name: c.name, classCode: c.className }))} testId="incident-cis" /> : <Select mode="multiple" disabled placeholder={t('incidents.noCmdb')} />}
      </Form.Item>
      {!editing && (
        <>
          <Form.Item name="detectedAt" label={t('incidents.field.detectedAt')} extra={t('incidents.detectedHelp')}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" disabledDate={(d) => d.isAfter(dayjs().endOf('day'))} data-testid="incident-detected" />
          </Form.Item>
          <Space wrap align="start" style={{ width: '100%' }}>
            <Form.Item name="assigneeId" label={t('incidents.field.assignee')} style={{ minWidth: 300 }}>
              <Select {...person} placeholder={t('incidents.unassigned')} data-testid="incident-assignee" />
            </Form.Item>
            <Form.Item name="groupId" label={t('incidents.field.group')} style={{ minWidth: 300 }}>
              <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={groups} loading={options.isLoading} placeholder={t('incidents.noGroup')} data-testid="incident-group" />
            </Form.Item>
          </Space>
        </>
      )}
      <Divider style={{ margin: '8px 0 16px' }} />
      <Form.Item name="major" label={t('incidents.field.major')} valuePropName="checked" extra={t('incidents.majorHelp')}>
        <Switch data-testid="incident-major" />
      </Form.Item>
      {major && (
        <Space wrap align="start" style={{ width: '100%' }}>
          {INCIDENT_MAJOR_ROLES.map((role) => (
            <Form.Item key={role} name={['majorRoles', role]} label={names.role(role)} style={{ minWidth: 200 }}>
              <Select {...person} placeholder={t('incidents.pickPerson')} data-testid={`incident-role-${role}`} />
            </Form.Item>
          ))}
        </Space>
      )}
    </FormDrawer>
  );
}
