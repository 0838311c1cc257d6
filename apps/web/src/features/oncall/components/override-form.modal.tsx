import { useEffect } from 'react';
import { DatePicker, Form, Input, Modal, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { Schedule } from '@yunwei/contracts/oncall';
import { feedback } from '../../../shared/feedback';
import { applyServerErrors } from '../../../shared/form-errors';
import { useAddOverride, useCandidates } from '../api/use-oncall';

interface FormValues {
  userId: string;
  period: [Dayjs, Dayjs];
  reason?: string;
}

/** A temporary hand-over (替班): this person is on call over this period, whatever the rotations say. */
export function OverrideFormModal({ schedule, onClose }: { schedule: Schedule | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const candidates = useCandidates(schedule !== null);
  const add = useAddOverride();

  useEffect(() => {
    if (schedule) {
      form.resetFields();
      form.setFieldsValue({ period: [dayjs().startOf('hour'), dayjs().startOf('hour').add(1, 'day')] });
    }
  }, [schedule, form]);

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values || !schedule) {
      return;
    }
    const body = { userId: values.userId, start: values.period[0].valueOf(), end: values.period[1].valueOf(), reason: values.reason?.trim() ?? '' };
    add.mutate(
      { id: schedule.id, body },
      {
        onSuccess: () => {
          void feedback.current?.message.success(t('oncall.override.created'));
          onClose();
        },
        onError: (error) => applyServerErrors(form, error, { start: 'period', end: 'period' }),
      },
    );
  };

  return (
    <Modal
      open={schedule !== null}
      title={t('oncall.override.title', { name: schedule?.name ?? '' })}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={add.isPending}
      forceRender
      data-testid="override-form"
    >
      <Form form={form} layout="vertical" name="override-form">
        <Form.Item name="userId" label={t('oncall.field.user')} rules={[{ required: true, message: t('oncall.validation.required', { field: t('oncall.field.user') }) }]}>
          <Select showSearch optionFilterProp="label" options={(candidates.data ?? []).map((u) => ({ value: u.id, label: `${u.displayName} (${u.username})` }))} data-testid="override-user" />
        </Form.Item>
        <Form.Item name="period" label={t('oncall.field.period')} extra={t('oncall.help.period')} rules={[{ required: true, message: t('oncall.validation.required', { field: t('oncall.field.period') }) }]}>
          <DatePicker.RangePicker showTime={{ format: 'HH:mm', minuteStep: 5 }} format="YYYY-MM-DD HH:mm" allowClear={false} />
        </Form.Item>
        <Form.Item name="reason" label={t('oncall.field.reason')} rules={[{ max: 500 }]}>
          <Input placeholder={t('oncall.override.reasonPlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
