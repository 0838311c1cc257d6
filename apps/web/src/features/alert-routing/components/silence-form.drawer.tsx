import dayjs, { type Dayjs } from 'dayjs';
import { DatePicker, Form, Input, Space, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Matcher, Silence } from '@yunwei/contracts/alert-routing';
import type { CiRef } from '@yunwei/contracts/cmdb';
import { FormDrawer } from '../../../shared/components/form-drawer';
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
 * The server names `body.matchers` (no CI named) and `body.matchers.<i>`; the CI matcher is the first
 * one sent, so its errors go on the CI picker and the others one row up in the editor.
 */
function showErrors(form: FormInstance<FormValues>, error: unknown): void {
  const ci = (form.getFieldValue('cis') as string[] | undefined)?.length;
  applyListFormErrors(form, error, ([head, index, ...rest]) => {
    if (head !== 'matchers') {
      return [head!, ...(index === undefined ? [] : [index]), ...rest];
    }
    if (index === undefined || (ci && index === 0)) {
      return ['cis'];
    }
    return ['matchers', ci ? Number(index) - 1 : index, ...rest];
  });
}

/**
 * A new silence: the CIs (picked by name) and further matchers, from (default now) until, and why.
 * Someone whose silences are limited to some units must pick CIs of those units (the server says so).
 */
export function SilenceFormDrawer({ open, initialMatchers, knownCis, onClose }: Props) {
  const { t } = useTranslation();
  const create = useCreateSilence();
  // Reset to these each time the form opens: "2 hours from now" is from then.
  const { ciIds, rest } = splitCiMatchers(initialMatchers ?? []);
  const initialValues = { cis: ciIds, matchers: rest, endsAt: dayjs().add(2, 'hour') };

  const presets = [1, 2, 4, 8, 24, 72].map((h) => ({ label: t('alertRouting.silence.forHours', { count: h }), value: dayjs().add(h, 'hour') }));
  return (
    <FormDrawer<FormValues, Silence>
      open={open}
      title={t('alertRouting.silence.createTitle')}
      name="silence-form"
      testId="silence-form"
      width={640}
      initialValues={initialValues}
      onSubmit={(values) => {
        const ci = ciMatcherOf(values.cis ?? []);
        const matchers = [...(ci ? [ci] : []), ...(values.matchers ?? [])];
        return create.mutateAsync({ matchers, ...(values.startsAt ? { startsAt: values.startsAt.valueOf() } : {}), endsAt: values.endsAt.valueOf(), comment: values.comment.trim() });
      }}
      success={t('alertRouting.silence.created')}
      fieldErrors={showErrors}
      onClose={onClose}
    >
      <Form.Item
        name="cis"
        label={t('alertRouting.silence.cis')}
        extra={t('alertRouting.help.silenceCis')}
        rules={[
          ({ getFieldValue }) => ({
            validator: async (_, v: string[] | undefined) => (v?.length || (getFieldValue('matchers') as unknown[] | undefined)?.length ? undefined : Promise.reject(new Error(t('alertRouting.validation.ciOrMatcher')))),
          }),
        ]}
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
    </FormDrawer>
  );
}
