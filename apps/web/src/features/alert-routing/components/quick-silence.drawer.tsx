import dayjs from 'dayjs';
import { Button, Descriptions, Drawer, Form, Input, Radio } from 'antd';
import { useTranslation } from 'react-i18next';
import { alertObjectName } from '@yunwei/contracts/alerting';
import type { Matcher, Silence } from '@yunwei/contracts/alert-routing';
import { useMutationForm } from '../../../shared/components/mutation-form';
import { TOUCH_TARGET } from '../../../shared/use-is-phone';
import { useCreateSilence } from '../api/use-alert-routing';

const HOURS = [1, 2, 4, 8, 24] as const;

interface FormValues {
  hours: number;
  comment: string;
}

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
 * FormDrawer's behaviour (`useMutationForm`) in a bottom sheet whose submit button is under the thumb.
 */
export function QuickSilenceDrawer({ open, labels, matchers, onClose }: Props) {
  const { t } = useTranslation();
  const create = useCreateSilence();
  const { form, submitting, submit, close } = useMutationForm<FormValues, Silence>({
    open,
    onSubmit: (values) => create.mutateAsync({ matchers, endsAt: dayjs().add(values.hours, 'hour').valueOf(), comment: values.comment.trim() }),
    success: t('alertRouting.silence.created'),
    onClose,
  });

  const object = alertObjectName(labels);
  return (
    <Drawer
      open={open}
      placement="bottom"
      size="auto"
      title={t('alertRouting.silence.createTitle')}
      onClose={close}
      forceRender
      styles={{ body: { paddingBottom: 'calc(16px + env(safe-area-inset-bottom))' } }}
      data-testid="silence-form"
    >
      <Descriptions size="small" column={1} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('alerts.field.rule')}>{labels.alertname ?? t('common.empty')}</Descriptions.Item>
        {object && <Descriptions.Item label={t('alerts.field.object')}>{object}</Descriptions.Item>}
      </Descriptions>
      <Form<FormValues> form={form} layout="vertical" name="quick-silence-form" requiredMark={false} initialValues={{ hours: 2 }}>
        <Form.Item name="hours" label={t('alertRouting.silence.duration')}>
          <Radio.Group
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
        <Button type="primary" block size="large" style={{ height: TOUCH_TARGET + 4 }} loading={submitting} onClick={submit} data-testid="silence-form-submit">
          {t('alertRouting.silence.submit')}
        </Button>
      </Form>
    </Drawer>
  );
}
