import { useEffect, useState } from 'react';
import dayjs from 'dayjs';
import { Button, Descriptions, Drawer, Form, Input, Radio } from 'antd';
import { useTranslation } from 'react-i18next';
import { alertObjectName } from '@yunwei/contracts/alerting';
import type { Matcher } from '@yunwei/contracts/alert-routing';
import { applyServerErrors } from '../../../shared/form-errors';
import { feedback } from '../../../shared/feedback';
import { TOUCH_TARGET } from '../../../shared/use-is-phone';
import { useCreateSilence } from '../api/use-alert-routing';

const HOURS = [1, 2, 4, 8, 24] as const;

interface Props {
  open: boolean;
  /** The alert's labels: what the silence is about, said by name. */
  labels: Readonly<Record<string, string>>;
  /** The matchers taken from them (see SilenceFromAlertButton). */
  matchers: Matcher[];
  onClose: () => void;
}

/**
 * Silencing one alert on a phone: from the bottom of the screen, how long (one tap) and why; the matchers
 * come from the alert and are said by name. The full form (any matcher, any time) is on the silences page.
 */
export function QuickSilenceDrawer({ open, labels, matchers, onClose }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ comment: string }>();
  const [hours, setHours] = useState<number>(2);
  const create = useCreateSilence();

  useEffect(() => {
    if (open) {
      form.resetFields();
      setHours(2);
    }
  }, [open, form]);

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) {
      return;
    }
    create.mutate(
      { matchers, endsAt: dayjs().add(hours, 'hour').valueOf(), comment: values.comment.trim() },
      {
        onSuccess: () => {
          void feedback.current?.message.success(t('alertRouting.silence.created'));
          onClose();
        },
        onError: (error) => applyServerErrors(form, error),
      },
    );
  };

  const object = alertObjectName(labels);
  return (
    <Drawer
      open={open}
      placement="bottom"
      size="auto"
      title={t('alertRouting.silence.createTitle')}
      onClose={onClose}
      styles={{ body: { paddingBottom: 'calc(16px + env(safe-area-inset-bottom))' } }}
      data-testid="silence-form"
    >
      <Descriptions size="small" column={1} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('alerts.field.rule')}>{labels.alertname ?? t('common.empty')}</Descriptions.Item>
        {object && <Descriptions.Item label={t('alerts.field.object')}>{object}</Descriptions.Item>}
      </Descriptions>
      <Form form={form} layout="vertical" name="quick-silence-form" requiredMark={false}>
        <Form.Item label={t('alertRouting.silence.duration')}>
          <Radio.Group
            value={hours}
            onChange={(e) => setHours(e.target.value as number)}
            optionType="button"
            buttonStyle="solid"
            style={{ display: 'flex', width: '100%' }}
            options={HOURS.map((h) => ({ value: h, label: t('alertRouting.silence.forHours', { count: h }), style: { flex: 1, height: TOUCH_TARGET, lineHeight: `${TOUCH_TARGET - 2}px`, textAlign: 'center', paddingInline: 4 } }))}
            data-testid="silence-hours"
          />
        </Form.Item>
        <Form.Item name="comment" label={t('alertRouting.field.comment')} rules={[{ required: true, whitespace: true, message: t('alertRouting.validation.commentRequired') }, { max: 1000 }]}>
          <Input.TextArea rows={2} placeholder={t('alertRouting.placeholder.silenceComment')} data-testid="silence-comment" />
        </Form.Item>
        <Button type="primary" block size="large" style={{ height: TOUCH_TARGET + 4 }} loading={create.isPending} onClick={() => void submit()} data-testid="silence-form-submit">
          {t('alertRouting.silence.submit')}
        </Button>
      </Form>
    </Drawer>
  );
}
