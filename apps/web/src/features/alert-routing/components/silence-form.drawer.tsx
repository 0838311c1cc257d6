import { useEffect } from 'react';
import dayjs, { type Dayjs } from 'dayjs';
import { Button, DatePicker, Drawer, Form, Input, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Matcher } from '@yunwei/contracts/alert-routing';
import type { CiRef } from '@yunwei/contracts/cmdb';
import { feedback } from '../../../shared/feedback';
import { CiPicker } from '../../cmdb/components/ci-picker';
import { useCreateSilence } from '../api/use-alert-routing';
import { applyListFormErrors } from '../field-errors';
import { ciMatcherOf, splitCiMatchers } from '../silence-cis';
import { MatchersEditor } from './matchers-editor';

interface FormValues {
  /** The CIs picked by name: sent as the first matcher, `ci="<id>"` (or `ci=~"<id>|<id>"`). */
  cis: string[];
  matchers: Matcher[];
  startsAt?: Dayjs | null;
  endsAt: Dayjs;
  comment: string;
}

interface Props {
  open: boolean;
  /** Pre-filled matchers (from an alert's labels); a `ci` matcher goes to the CI picker. */
  initialMatchers?: Matcher[];
  /** Names of pre-filled CIs, shown before any search. */
  knownCis?: CiRef[];
  onClose: () => void;
}

/**
 * A new silence: the CIs (picked by name) and further matchers, from (default now) until, and why.
 * Someone whose silences are limited to some units must pick CIs of those units (the server says so).
 */
export function SilenceFormDrawer({ open, initialMatchers, knownCis, onClose }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const create = useCreateSilence();

  useEffect(() => {
    if (open) {
      form.resetFields();
      const { ciIds, rest } = splitCiMatchers(initialMatchers ?? []);
      form.setFieldsValue({ cis: ciIds, matchers: initialMatchers ? rest : [], endsAt: dayjs().add(2, 'hour') });
    }
  }, [open, initialMatchers, form]);

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) {
      return;
    }
    const ci = ciMatcherOf(values.cis ?? []);
    const matchers = [...(ci ? [ci] : []), ...(values.matchers ?? [])];
    // The server names `body.matchers` (no CI named) and `body.matchers.<i>`; the CI matcher is the first one sent.
    const toForm = ([head, index, ...rest]: (string | number)[]): (string | number)[] => {
      if (head !== 'matchers') {
        return [head!, ...(index === undefined ? [] : [index]), ...rest];
      }
      if (index === undefined || (ci && index === 0)) {
        return ['cis'];
      }
      return ['matchers', ci ? Number(index) - 1 : index, ...rest];
    };
    create.mutate(
      { matchers, ...(values.startsAt ? { startsAt: values.startsAt.valueOf() } : {}), endsAt: values.endsAt.valueOf(), comment: values.comment.trim() },
      {
        onSuccess: () => {
          void feedback.current?.message.success(t('alertRouting.silence.created'));
          onClose();
        },
        onError: (error) => applyListFormErrors(form, error, toForm),
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
        <Form.Item
          name="cis"
          label={t('alertRouting.silence.cis')}
          extra={t('alertRouting.help.silenceCis')}
          rules={[{ validator: async (_, v: string[] | undefined) => (v?.length || form.getFieldValue('matchers')?.length ? undefined : Promise.reject(new Error(t('alertRouting.validation.ciOrMatcher')))) }]}
        >
          <CiPicker multiple known={knownCis} testId="silence-cis" />
        </Form.Item>
        <Form.Item label={t('alertRouting.silence.otherMatchers')} extra={t('alertRouting.help.matchers')}>
          <MatchersEditor />
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
