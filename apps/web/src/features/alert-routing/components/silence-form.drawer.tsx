import { useEffect } from 'react';
import dayjs, { type Dayjs } from 'dayjs';
import { Button, DatePicker, Drawer, Form, Input, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Matcher } from '@yunwei/contracts/alert-routing';
import { applyServerErrors } from '../../../shared/form-errors';
import { feedback } from '../../../shared/feedback';
import { useCreateSilence } from '../api/use-alert-routing';
import { MatchersEditor } from './matchers-editor';

interface FormValues {
  matchers: Matcher[];
  startsAt?: Dayjs | null;
  endsAt: Dayjs;
  comment: string;
}

interface Props {
  open: boolean;
  /** Pre-filled matchers (from an alert's labels). */
  initialMatchers?: Matcher[];
  onClose: () => void;
}

/** A new silence: matchers, from (default now) until, and why. */
export function SilenceFormDrawer({ open, initialMatchers, onClose }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const create = useCreateSilence();

  useEffect(() => {
    if (open) {
      form.resetFields();
      form.setFieldsValue({ matchers: initialMatchers ?? [{ name: 'alertname', op: '=', value: '' }], endsAt: dayjs().add(2, 'hour') });
    }
  }, [open, initialMatchers, form]);

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) {
      return;
    }
    create.mutate(
      { matchers: values.matchers, ...(values.startsAt ? { startsAt: values.startsAt.valueOf() } : {}), endsAt: values.endsAt.valueOf(), comment: values.comment.trim() },
      {
        onSuccess: () => {
          void feedback.current?.message.success(t('alertRouting.silence.created'));
          onClose();
        },
        onError: (error) => applyServerErrors(form, error),
      },
    );
  };

  const presets = [1, 2, 4, 8, 24, 72].map((h) => ({ label: t('alertRouting.silence.forHours', { count: h }), value: dayjs().add(h, 'hour') }));
  return (
    <Drawer
      open={open}
      title={t('alertRouting.silence.createTitle')}
      size={640}
      onClose={onClose}
      forceRender
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={create.isPending} onClick={() => void submit()} data-testid="silence-form-submit">
            {t('common.save')}
          </Button>
        </Space>
      }
      data-testid="silence-form"
    >
      <Form form={form} layout="vertical" name="silence-form">
        <Form.Item label={t('alertRouting.field.matchers')} extra={t('alertRouting.help.matchers')} required>
          <MatchersEditor required />
        </Form.Item>
        <Space size="large" wrap>
          <Form.Item name="startsAt" label={t('alertRouting.field.startsAt')} extra={t('alertRouting.help.startsNow')}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
          </Form.Item>
          <Form.Item name="endsAt" label={t('alertRouting.field.endsAt')} rules={[{ required: true }]}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" presets={presets} data-testid="silence-ends-at" />
          </Form.Item>
        </Space>
        <Form.Item name="comment" label={t('alertRouting.field.comment')} rules={[{ required: true, whitespace: true, message: t('alertRouting.validation.commentRequired') }, { max: 1000 }]}>
          <Input.TextArea rows={3} placeholder={t('alertRouting.placeholder.silenceComment')} data-testid="silence-comment" />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
