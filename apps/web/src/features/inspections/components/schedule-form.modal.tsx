import { Form, Input, Radio, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { ROLE_KINDS_FOR_DUTY, type InspectionSchedule, type InspectionScheduleCreate } from '@yunwei/contracts/inspections';
import { FormModal } from '../../../shared/components/form-modal';
import { useSeededText } from '../../../shared/use-seeded-text';
import { useSaveSchedule, useTemplates } from '../api/use-inspections';

const WEEKDAYS = [0, 1, 2, 3, 4, 5, 6] as const;

const toValues = (s: InspectionSchedule) => ({ templateId: s.templateId, name: s.name, kind: s.kind, time: s.time ?? undefined, weekday: s.weekday ?? undefined, cron: s.kind === 'cron' ? s.cron : undefined, responsibleRole: s.responsibleRole, enabled: s.enabled });

export function ScheduleFormModal({ open, schedule, onClose }: { open: boolean; schedule: InspectionSchedule | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<InspectionScheduleCreate>();
  const templates = useTemplates();
  const save = useSaveSchedule();
  const seeded = useSeededText();
  const kind = Form.useWatch('kind', form);
  return (
    <FormModal<InspectionScheduleCreate, InspectionSchedule>
      open={open}
      editing={schedule !== null}
      form={form}
      title={t('inspections.schedule.create')}
      editTitle={schedule && t('inspections.schedule.editTitle', { name: schedule.name })}
      name="inspection-schedule-form"
      testId="inspection-schedule-form"
      initialValues={schedule ? toValues(schedule) : { kind: 'daily', time: '08:30', enabled: true, responsibleRole: 'operator' }}
      onSubmit={(values) => save.mutateAsync({ id: schedule?.id, body: values })}
      onClose={onClose}
    >
      <Form.Item name="templateId" label={t('inspections.field.template')} rules={[{ required: true }]}>
        <Select options={(templates.data ?? []).map((x) => ({ value: x.id, label: seeded(x.name) }))} />
      </Form.Item>
      <Form.Item name="name" label={t('inspections.field.name')} rules={[{ required: true }]}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="kind" label={t('inspections.field.frequency')}>
        <Radio.Group optionType="button" options={(['daily', 'weekly', 'cron'] as const).map((k) => ({ value: k, label: t(`inspections.scheduleKind.${k}`) }))} />
      </Form.Item>
      {kind === 'weekly' && (
        <Form.Item name="weekday" label={t('inspections.field.weekday')} rules={[{ required: true }]}>
          <Select options={WEEKDAYS.map((d) => ({ value: d, label: t(`inspections.weekday.${d}`) }))} />
        </Form.Item>
      )}
      {kind !== 'cron' && (
        <Form.Item name="time" label={t('inspections.field.time')} rules={[{ required: true, pattern: /^([01]\d|2[0-3]):[0-5]\d$/ }]}>
          <Input placeholder="08:30" />
        </Form.Item>
      )}
      {kind === 'cron' && (
        <Form.Item name="cron" label={t('inspections.field.cron')} rules={[{ required: true }]} extra={t('inspections.schedule.cronHint')}>
          <Input placeholder="0 9 * * 1-5" />
        </Form.Item>
      )}
      <Form.Item name="responsibleRole" label={t('inspections.field.responsibleRole')}>
        <Select allowClear options={ROLE_KINDS_FOR_DUTY.map((r) => ({ value: r, label: t(`roleKind.${r}`) }))} />
      </Form.Item>
      <Form.Item name="enabled" label={t('inspections.field.enabled')} valuePropName="checked">
        <Switch />
      </Form.Item>
    </FormModal>
  );
}
