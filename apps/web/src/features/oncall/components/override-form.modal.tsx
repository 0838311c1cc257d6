import { DatePicker, Form, Input, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { Override, Schedule } from '@yunwei/contracts/oncall';
import { FormModal } from '../../../shared/components/form-modal';
import { useAddOverride, useCandidates } from '../api/use-oncall';

interface FormValues {
  userId: string;
  period: [Dayjs, Dayjs];
  reason?: string;
}

/** A temporary hand-over (替班): this person is on call over this period, whatever the rotations say. */
export function OverrideFormModal({ schedule, onClose }: { schedule: Schedule | null; onClose: () => void }) {
  const { t } = useTranslation();
  const candidates = useCandidates(schedule !== null);
  const add = useAddOverride();
  const hour = dayjs().startOf('hour');

  return (
    <FormModal<FormValues, Override>
      open={schedule !== null}
      title={t('oncall.override.title', { name: schedule?.name ?? '' })}
      name="override-form"
      testId="override-form"
      initialValues={{ period: [hour, hour.add(1, 'day')] }}
      onSubmit={(values) =>
        add.mutateAsync({ id: schedule?.id ?? '', body: { userId: values.userId, start: values.period[0].valueOf(), end: values.period[1].valueOf(), reason: values.reason?.trim() ?? '' } })
      }
      success={t('oncall.override.created')}
      fieldErrors={{ start: 'period', end: 'period' }}
      onClose={onClose}
    >
      <Form.Item name="userId" label={t('oncall.field.user')} rules={[{ required: true, message: t('oncall.validation.required', { field: t('oncall.field.user') }) }]}>
        <Select showSearch optionFilterProp="label" options={(candidates.data ?? []).map((u) => ({ value: u.id, label: `${u.displayName} (${u.username})` }))} data-testid="override-user" />
      </Form.Item>
      <Form.Item name="period" label={t('oncall.field.period')} extra={t('oncall.help.period')} rules={[{ required: true, message: t('oncall.validation.required', { field: t('oncall.field.period') }) }]}>
        <DatePicker.RangePicker showTime={{ format: 'HH:mm', minuteStep: 5 }} format="YYYY-MM-DD HH:mm" allowClear={false} />
      </Form.Item>
      <Form.Item name="reason" label={t('oncall.field.reason')} rules={[{ max: 500 }]}>
        <Input placeholder={t('oncall.override.reasonPlaceholder')} />
      </Form.Item>
    </FormModal>
  );
}
