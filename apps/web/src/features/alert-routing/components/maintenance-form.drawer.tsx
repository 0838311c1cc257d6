import dayjs, { type Dayjs } from 'dayjs';
import { Checkbox, DatePicker, Form, Input, InputNumber, Segmented, Select, Space, Switch, TimePicker, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { ROUTING_DEFAULTS, type MaintenanceCreate, type MaintenanceSchedule, type MaintenanceWindow } from '@yunwei/contracts/alert-routing';
import { localized } from '../../../app/i18n';
import { useLanguage } from '../../../app/use-language';
import { CiPicker } from '../../cmdb/components/ci-picker';
import { useCiClasses } from '../../cmdb/api/use-cmdb';
import { applyListFormErrors } from '../field-errors';
import { FormDrawer } from '../../../shared/components/form-drawer';
import { useCreateMaintenance, useUpdateMaintenance } from '../api/use-alert-routing';

/** Day of the week as the message keys name it (0 = Sunday). */
export type Weekday = '0' | '1' | '2' | '3' | '4' | '5' | '6';

type Kind = MaintenanceSchedule['kind'];

interface FormValues {
  name: string;
  comment?: string;
  enabled: boolean;
  kind: Kind;
  range?: [Dayjs, Dayjs];
  cron?: string;
  days?: number[];
  time?: Dayjs;
  durationMinutes?: number;
  timezone?: string;
  ciIds?: string[];
  classCodes?: string[];
  businessSystemIds?: string[];
}

const DAYS = [1, 2, 3, 4, 5, 6, 0];

function scheduleOf(v: FormValues): MaintenanceSchedule {
  const timezone = v.timezone?.trim() || undefined;
  if (v.kind === 'once') {
    return { kind: 'once', startsAt: v.range![0].valueOf(), endsAt: v.range![1].valueOf() };
  }
  if (v.kind === 'cron') {
    return { kind: 'cron', cron: v.cron!.trim(), durationMinutes: v.durationMinutes!, ...(timezone ? { timezone } : {}) };
  }
  return { kind: 'weekly', days: v.days!, time: v.time!.format('HH:mm'), durationMinutes: v.durationMinutes!, ...(timezone ? { timezone } : {}) };
}

function formOf(w: MaintenanceWindow): FormValues {
  const s = w.schedule;
  return {
    name: w.name,
    comment: w.comment,
    enabled: w.enabled,
    kind: s.kind,
    ...(s.kind === 'once' ? { range: [dayjs(s.startsAt), dayjs(s.endsAt)] as [Dayjs, Dayjs] } : { durationMinutes: s.durationMinutes, timezone: s.timezone }),
    ...(s.kind === 'cron' ? { cron: s.cron } : {}),
    ...(s.kind === 'weekly' ? { days: s.days, time: dayjs(`2000-01-01T${s.time}`) } : {}),
    ...w.scope,
  };
}

/** The server names schedule.* and scope.* fields; the form holds them at its top level. */
function showErrors(form: FormInstance<FormValues>, error: unknown): void {
  const kind = form.getFieldValue('kind') as Kind;
  applyListFormErrors(form, error, ([head, field, ...rest]) => {
    if (head === 'scope') {
      return [field ?? 'ciIds', ...rest];
    }
    if (head === 'schedule') {
      return [field === undefined || field === 'startsAt' || field === 'endsAt' ? (kind === 'once' ? 'range' : 'cron') : field, ...rest];
    }
    return [head!, ...(field === undefined ? [] : [field]), ...rest];
  });
}

const bodyOf = (v: FormValues): MaintenanceCreate => ({
  name: v.name.trim(),
  comment: v.comment?.trim() ?? '',
  enabled: v.enabled,
  schedule: scheduleOf(v),
  scope: { ciIds: v.ciIds ?? [], classCodes: v.classCodes ?? [], businessSystemIds: v.businessSystemIds ?? [] },
});

const DEFAULTS: Partial<FormValues> = { kind: 'once', enabled: true, durationMinutes: 120, days: [6], timezone: ROUTING_DEFAULTS.timezone };

/** Create or change a maintenance window: one-off or recurring, over CIs, classes and business systems. */
export function MaintenanceFormDrawer({ open, window, onClose }: { open: boolean; window: MaintenanceWindow | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const [form] = Form.useForm<FormValues>();
  const kind = Form.useWatch('kind', form) ?? 'once';
  const classes = useCiClasses();
  const businessClass = classes.data?.find((c) => c.businessSystem);
  const create = useCreateMaintenance();
  const update = useUpdateMaintenance();

  const required = { required: true, message: t('alertRouting.validation.required') };
  return (
    <FormDrawer<FormValues, MaintenanceWindow>
      open={open}
      editing={window !== null}
      form={form}
      title={t('alertRouting.maintenance.createTitle')}
      editTitle={window && t('alertRouting.maintenance.editTitle', { name: window.name })}
      name="maintenance-form"
      testId="maintenance-form"
      width={640}
      initialValues={window ? { ...DEFAULTS, ...formOf(window) } : DEFAULTS}
      onSubmit={(v) => (window ? update.mutateAsync({ id: window.id, body: bodyOf(v) }) : create.mutateAsync(bodyOf(v)))}
      fieldErrors={showErrors}
      onClose={onClose}
    >
      <Form.Item name="name" label={t('alertRouting.field.name')} rules={[{ ...required, whitespace: true }, { max: 100 }]}>
        <Input data-testid="maintenance-name" />
      </Form.Item>
      <Form.Item name="kind" label={t('alertRouting.maintenance.kind')}>
        <Segmented<Kind> options={(['once', 'weekly', 'cron'] as const).map((k) => ({ value: k, label: t(`alertRouting.maintenance.kinds.${k}`) }))} data-testid="maintenance-kind" />
      </Form.Item>
      {kind === 'once' && (
        <Form.Item name="range" label={t('alertRouting.maintenance.range')} rules={[required]}>
          <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" data-testid="maintenance-range" />
        </Form.Item>
      )}
      {kind === 'weekly' && (
        <Space size="large" wrap align="start">
          <Form.Item name="days" label={t('alertRouting.maintenance.days')} rules={[required]}>
            <Checkbox.Group options={DAYS.map((d) => ({ value: d, label: t(`alertRouting.weekday.${String(d) as Weekday}`) }))} />
          </Form.Item>
          <Form.Item name="time" label={t('alertRouting.maintenance.time')} rules={[required]}>
            <TimePicker format="HH:mm" minuteStep={5} />
          </Form.Item>
        </Space>
      )}
      {kind === 'cron' && (
        <Form.Item name="cron" label={t('alertRouting.maintenance.cron')} extra={t('alertRouting.help.cron')} rules={[{ ...required, whitespace: true }]}>
          <Input placeholder="0 2 * * 6" style={{ width: 240 }} data-testid="maintenance-cron" />
        </Form.Item>
      )}
      {kind !== 'once' && (
        <Space size="large" wrap>
          <Form.Item name="durationMinutes" label={t('alertRouting.maintenance.duration')} rules={[required]}>
            <InputNumber min={1} max={10_080} precision={0} suffix={t('alertRouting.unit.minutes')} style={{ width: 180 }} />
          </Form.Item>
          <Form.Item name="timezone" label={t('alertRouting.maintenance.timezone')}>
            <Input style={{ width: 200 }} />
          </Form.Item>
        </Space>
      )}
      <Form.Item name="ciIds" label={t('alertRouting.maintenance.cis')}>
        <CiPicker multiple known={window?.cis} testId="maintenance-cis" />
      </Form.Item>
      <Form.Item name="classCodes" label={t('alertRouting.maintenance.classes')}>
        <Select mode="multiple" allowClear options={(classes.data ?? []).map((c) => ({ value: c.code, label: localized(c.name, language) }))} data-testid="maintenance-classes" />
      </Form.Item>
      <Form.Item name="businessSystemIds" label={t('alertRouting.maintenance.businessSystems')} extra={t('alertRouting.help.businessSystems')}>
        <CiPicker multiple classId={businessClass?.id} known={window?.cis} testId="maintenance-business-systems" />
      </Form.Item>
      <Form.Item name="comment" label={t('alertRouting.field.comment')} rules={[{ max: 1000 }]}>
        <Input.TextArea rows={2} />
      </Form.Item>
      <Form.Item name="enabled" label={t('alertRouting.field.enabled')} valuePropName="checked">
        <Switch />
      </Form.Item>
    </FormDrawer>
  );
}
