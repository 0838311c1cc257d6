import { Checkbox, Form, Input, InputNumber, Select, Space, Switch, Typography, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { TABULAR_FORMATS, DOCUMENT_FORMAT_NAMES, type TabularFormat } from '@yunwei/contracts/documents';
import { REPORT_CADENCES, REPORT_SCHEDULE_KINDS, type ReportCadence, type ReportSchedule, type ReportScheduleInput, type ReportScheduleKind } from '@yunwei/contracts/report-schedules';
import { ApiError } from '../../../app/api-client';
import { FormDrawer } from '../../../shared/components/form-drawer';
import { formFieldPath } from '../../../shared/form-errors';
import { useScopeChoices } from '../api/use-reports';
import { useKindLabel, useSaveSchedule, useScheduleOptions, WEEKDAY_KEYS } from './use-report-schedules';

export interface ScheduleValues {
  name: string;
  kind: ReportScheduleKind;
  cadence: ReportCadence;
  dayOfWeek: number;
  dayOfMonth: number;
  hour: number;
  scope: string;
  locale: 'zh-CN' | 'en';
  formats: TabularFormat[];
  channelId?: string | null;
  emails: string[];
  userIds: string[];
  libraryTypeCode?: string | null;
  enabled: boolean;
}

const toValues = (s: ReportSchedule): ScheduleValues => ({
  name: s.name,
  kind: s.kind,
  cadence: s.cadence,
  dayOfWeek: s.dayOfWeek,
  dayOfMonth: s.dayOfMonth,
  hour: s.hour,
  scope: s.scope,
  locale: s.locale,
  formats: s.formats,
  channelId: s.channelId,
  emails: s.emails,
  userIds: s.userIds,
  libraryTypeCode: s.libraryTypeCode,
  enabled: s.enabled,
});

const toBody = (v: ScheduleValues): ReportScheduleInput => ({
  name: v.name.trim(),
  kind: v.kind,
  cadence: v.cadence,
  dayOfWeek: v.dayOfWeek,
  dayOfMonth: v.dayOfMonth,
  hour: v.hour,
  scope: v.scope,
  locale: v.locale,
  formats: v.formats,
  channelId: v.channelId ?? null,
  emails: (v.emails ?? []).map((e) => e.trim()).filter(Boolean),
  userIds: v.userIds ?? [],
  libraryTypeCode: v.libraryTypeCode ?? null,
  enabled: v.enabled,
});

/** The server names list items (`body.emails.2`): the error goes on the list's field. */
function putErrors(form: FormInstance<ScheduleValues>, error: unknown): void {
  if (!(error instanceof ApiError) || !error.details) {
    return;
  }
  const fields = error.details.fields ?? (error.details.field ? [{ field: error.details.field, message: error.message }] : []);
  form.setFields(fields.map((f) => ({ name: formFieldPath(f.field)[0] as keyof ScheduleValues, errors: [f.message] })).filter((f) => f.name));
}

/** 新建 / 编辑定时报告: what, when, about what, to whom, and where it is filed. */
export function ScheduleForm({ editing, onClose }: { editing: ReportSchedule | null | undefined; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const [form] = Form.useForm<ScheduleValues>();
  const cadence = Form.useWatch('cadence', form);
  const kind = Form.useWatch('kind', form);
  const kindLabel = useKindLabel();
  const open = editing !== undefined;
  const options = useScheduleOptions(open);
  const choices = useScopeChoices();
  const save = useSaveSchedule();
  const scopeOptions = [
    { value: 'all', label: t('reports.scope.all') },
    { label: t('reports.scope.businessSystems'), options: (choices.data?.businessSystems ?? []).map((b) => ({ value: `businessSystem:${b.id}`, label: b.name })) },
    { label: t('reports.scope.classes'), options: (choices.data?.classes ?? []).map((c) => ({ value: `ciClass:${c.code}`, label: en ? c.name.en : c.name.zh })) },
  ];
  const weekdays = WEEKDAY_KEYS.map((key, i) => ({ value: i + 1, label: t(key) }));
  return (
    <FormDrawer<ScheduleValues, ReportSchedule>
      open={open}
      editing={Boolean(editing)}
      form={form}
      name="report-schedule"
      testId="schedule-form"
      title={t('reportSchedules.createTitle')}
      editTitle={t('reportSchedules.editTitle', { name: editing?.name ?? '' })}
      initialValues={editing ? toValues(editing) : { kind: 'running-status', cadence: 'monthly', dayOfWeek: 1, dayOfMonth: 1, hour: 8, scope: 'all', locale: en ? 'en' : 'zh-CN', formats: ['docx', 'pdf'], channelId: null, emails: [], userIds: [], libraryTypeCode: null, enabled: true }}
      onSubmit={(v) => save.mutateAsync({ ...(editing ? { id: editing.id } : {}), body: toBody(v) })}
      fieldErrors={putErrors}
      onClose={onClose}
    >
      {editing && editing.ownerId && <Typography.Paragraph type="secondary">{t('reportSchedules.ownerNote', { name: editing.ownerName })}</Typography.Paragraph>}
      <Form.Item name="name" label={t('reportSchedules.field.name')} rules={[{ required: true, whitespace: true, message: t('reportSchedules.nameRequired') }, { max: 100, message: t('common.validation.maxLength', { max: 100 }) }]}>
        <Input data-testid="schedule-name" placeholder={t('reportSchedules.namePlaceholder')} />
      </Form.Item>
      <Form.Item name="kind" label={t('reportSchedules.field.kind')} rules={[{ required: true }]}>
        <Select data-testid="schedule-kind" options={REPORT_SCHEDULE_KINDS.map((k) => ({ value: k, label: kindLabel(k) }))} />
      </Form.Item>
      <Space wrap align="start">
        <Form.Item name="cadence" label={t('reportSchedules.field.cadence')} rules={[{ required: true }]}>
          <Select data-testid="schedule-cadence" style={{ width: 140 }} options={REPORT_CADENCES.map((c) => ({ value: c, label: t(`reportSchedules.cadence.${c}`) }))} />
        </Form.Item>
        {cadence === 'weekly' ? (
          <Form.Item name="dayOfWeek" label={t('reportSchedules.field.dayOfWeek')} rules={[{ required: true }]}>
            <Select style={{ width: 120 }} options={weekdays} />
          </Form.Item>
        ) : (
          <Form.Item name="dayOfMonth" label={t(cadence === 'quarterly' ? 'reportSchedules.field.dayOfQuarter' : 'reportSchedules.field.dayOfMonth')} rules={[{ required: true, type: 'integer', min: 1, max: 28, message: t('reportSchedules.dayRange') }]}>
            <InputNumber min={1} max={28} precision={0} style={{ width: 120 }} />
          </Form.Item>
        )}
        <Form.Item name="hour" label={t('reportSchedules.field.hour')} rules={[{ required: true, type: 'integer', min: 0, max: 23, message: t('reportSchedules.hourRange') }]}>
          <InputNumber min={0} max={23} precision={0} style={{ width: 100 }} addonAfter={t('reportSchedules.hourUnit')} data-testid="schedule-hour" />
        </Form.Item>
      </Space>
      <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
        {t(`reportSchedules.periodHelp.${cadence ?? 'monthly'}`)}
      </Typography.Paragraph>
      <Form.Item name="scope" label={t('reportSchedules.field.scope')} extra={kind === 'monitoring-regime' ? t('reportSchedules.regimeScope') : undefined}>
        <Select disabled={kind === 'monitoring-regime'} showSearch optionFilterProp="label" loading={choices.isLoading} options={scopeOptions} data-testid="schedule-scope" />
      </Form.Item>
      <Form.Item name="formats" label={t('reportSchedules.field.formats')} rules={[{ required: true, type: 'array', min: 1, message: t('reportSchedules.formatsRequired') }]}>
        <Checkbox.Group options={TABULAR_FORMATS.map((f) => ({ value: f, label: DOCUMENT_FORMAT_NAMES[f] }))} />
      </Form.Item>
      <Form.Item name="locale" label={t('reportSchedules.field.locale')}>
        <Select style={{ width: 160 }} options={[{ value: 'zh-CN', label: '中文' }, { value: 'en', label: 'English' }]} />
      </Form.Item>
      <Form.Item name="channelId" label={t('reportSchedules.field.channel')} extra={t('reportSchedules.channelHelp')}>
        <Select
          allowClear
          loading={options.isLoading}
          placeholder={t('reportSchedules.noMail')}
          data-testid="schedule-channel"
          options={(options.data?.channels ?? []).map((c) => ({ value: c.id, label: c.enabled ? c.name : `${c.name} (${t('reportSchedules.channelDisabled')})` }))}
        />
      </Form.Item>
      <Form.Item name="userIds" label={t('reportSchedules.field.users')} extra={t('reportSchedules.usersHelp')}>
        <Select
          mode="multiple"
          showSearch
          optionFilterProp="label"
          loading={options.isLoading}
          options={(options.data?.users ?? []).map((u) => ({ value: u.id, label: `${u.name} (${u.username})${u.hasEmail ? '' : ` · ${t('reportSchedules.noEmail')}`}` }))}
        />
      </Form.Item>
      <Form.Item name="emails" label={t('reportSchedules.field.emails')} extra={t('reportSchedules.emailsHelp')}>
        <Select mode="tags" tokenSeparators={[',', ';', ' ']} open={false} data-testid="schedule-emails" />
      </Form.Item>
      <Form.Item name="libraryTypeCode" label={t('reportSchedules.field.library')} extra={t('reportSchedules.libraryHelp')}>
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t('reportSchedules.noLibrary')}
          data-testid="schedule-library"
          options={(options.data?.libraryTypes ?? []).map((x) => ({ value: x.code, label: x.needsApproval ? x.name : `${x.name} (${t('reportSchedules.noApproval')})` }))}
        />
      </Form.Item>
      <Form.Item name="enabled" label={t('reportSchedules.field.enabled')} valuePropName="checked">
        <Switch />
      </Form.Item>
    </FormDrawer>
  );
}
