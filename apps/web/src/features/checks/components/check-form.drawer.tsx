import { useEffect } from 'react';
import { Alert, Form, Input, InputNumber, Select, Space, Switch, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { CHECK_DESTINATION_FIELDS, CHECK_LIMITS, CHECK_TYPES, type Check, type CheckType } from '@yunwei/contracts/checks';
import { CiPicker } from '../../cmdb/components/ci-picker';
import { OrgUnitTreeSelect } from '../../org/components/org-unit-tree-select';
import { FormDrawer } from '../../../shared/components/form-drawer';
import { applyServerErrors } from '../../../shared/form-errors';
import { feedback } from '../../../shared/feedback';
import { destinationChanged, hasStoredSecrets } from '../../../shared/secret-destination';
import { ApiError } from '../../../app/api-client';
import { useAuth } from '../../../app/auth-context';
import { useCreateCheck, useUpdateCheck } from '../api/use-checks';
import { clampTimeout, timeoutCeilingMs } from '../check-timing';
import { CheckAlertingFields, useDefaultChannelIds } from './check-alerting-fields';
import { SettingsFields, settingsFromForm, settingsToForm } from './settings-fields';

interface FormValues {
  name: string;
  type: CheckType;
  ciId?: string | null;
  /** Only without a CI (a check on a CI belongs to the CI's unit). */
  orgUnitId?: string | null;
  intervalSeconds: number;
  timeoutMs: number;
  enabled: boolean;
  retries: number;
  notifyChannelIds: string[];
  settings?: Record<string, unknown>;
}

interface Props {
  open: boolean;
  /** The check to edit; null: a new one. */
  check: Check | null;
  onClose: () => void;
}

const NEW_CHECK: Partial<FormValues> = { type: 'http', intervalSeconds: 60, timeoutMs: 10_000, enabled: true, retries: CHECK_LIMITS.defaultRetries, notifyChannelIds: [] };

const toValues = (check: Check): FormValues => ({
  name: check.name,
  type: check.type,
  ciId: check.ciId,
  orgUnitId: check.ciId ? null : check.orgUnitId,
  intervalSeconds: check.intervalSeconds,
  timeoutMs: check.timeoutMs,
  enabled: check.enabled,
  retries: check.retries,
  // What the check's policy notifies now (an administrator may have changed it on its page).
  notifyChannelIds: check.notifyChannels.map((c) => c.id),
  settings: settingsToForm(check.settings),
});

/** The server's field errors; `body.notifyChannelIds.2` (an unknown channel) belongs on the one select. */
function showErrors(form: FormInstance<FormValues>, error: unknown): void {
  applyServerErrors(form, error);
  const item = error instanceof ApiError ? error.details?.fields?.[0] : undefined;
  const field = error instanceof ApiError ? (item?.field ?? error.details?.field) : undefined;
  if (error instanceof ApiError && field?.startsWith('body.notifyChannelIds')) {
    form.setFields([{ name: 'notifyChannelIds', errors: [item?.message ?? error.message] }]);
  }
}

/** Create or change a check: the common fields, then the settings of its type. */
export function CheckFormDrawer({ open, check, onClose }: Props) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const type = Form.useWatch('type', form) ?? check?.type ?? 'http';
  const ciId = Form.useWatch('ciId', form);
  const settings = Form.useWatch('settings', form) as Record<string, unknown> | undefined;
  // Editing and the host, port or URL (or the type) differs from the stored one: the stored secrets will not follow it.
  const moved =
    check !== null && hasStoredSecrets(check.secretsSet) && settings !== undefined && (type !== check.type || destinationChanged(CHECK_DESTINATION_FIELDS[check.type], check.settings, settingsFromForm(settings)));
  const create = useCreateCheck();
  const update = useUpdateCheck();
  const { can } = useAuth();
  const defaultsKey = useDefaultChannelIds().join();

  // A new check starts with the default channels (they may load after the drawer opens), unless picked already.
  useEffect(() => {
    if (open && !check && !form.isFieldTouched('notifyChannelIds')) {
      form.setFieldValue('notifyChannelIds', defaultsKey ? defaultsKey.split(',') : []);
    }
  }, [open, check, form, defaultsKey]);

  const toBody = (values: FormValues) => ({
    name: values.name.trim(),
    type: values.type,
    ciId: values.ciId ?? null,
    // Without a CI the unit is the check's own: left empty, a new check asks the server for the
    // default (refused for a limited scope), a changed one becomes the whole organisation.
    ...(values.ciId ? {} : values.orgUnitId || check ? { orgUnitId: values.orgUnitId ?? null } : {}),
    intervalSeconds: values.intervalSeconds,
    timeoutMs: values.timeoutMs,
    enabled: values.enabled,
    retries: values.retries,
    // Only who may route alerts sends channels (for the others the field is read-only).
    ...(can('alerting.policy.write') && can('notify.channel.read') ? { notifyChannelIds: values.notifyChannelIds ?? [] } : {}),
    settings: settingsFromForm(values.settings),
  });

  // Stored secrets the change dropped (the destination moved) are worth more than "saved".
  const saved = (result: Check) => {
    const dropped = result.secretsDropped ?? [];
    if (dropped.length) {
      const fields = new Intl.ListFormat(i18n.language).format(dropped.map((field) => t(`checks.settings.${field}` as 'checks.settings.host')));
      void feedback.current?.message.warning(t('checks.secretsDropped', { fields }), 8);
    } else {
      void feedback.current?.message.success(t(check ? 'common.saved' : 'checks.created'));
    }
  };

  // A shortened interval takes the timeout down with it (the server refuses a timeout longer than the interval).
  const clampToInterval = () => {
    const timeout = clampTimeout(form.getFieldValue('intervalSeconds'), form.getFieldValue('timeoutMs'));
    if (timeout !== undefined && timeout !== form.getFieldValue('timeoutMs')) {
      form.setFieldValue('timeoutMs', timeout);
    }
    if (form.getFieldError('timeoutMs').length) {
      void form.validateFields(['timeoutMs']).catch(() => undefined);
    }
  };

  return (
    <FormDrawer<FormValues, Check>
      open={open}
      editing={check !== null}
      form={form}
      title={t('checks.createTitle')}
      editTitle={check && t('checks.editTitle', { name: check.name })}
      name="check-form"
      testId="check-form"
      initialValues={check ? toValues(check) : NEW_CHECK}
      onSubmit={(values) => (check ? update.mutateAsync({ id: check.id, body: toBody(values) }) : create.mutateAsync(toBody(values)))}
      success={null}
      onSaved={saved}
      fieldErrors={showErrors}
      onClose={onClose}
    >
      <Form.Item name="name" label={t('checks.field.name')} rules={[{ required: true, whitespace: true, message: t('checks.validation.required', { field: t('checks.field.name') }) }, { max: 100 }]}>
        <Input data-testid="check-name" />
      </Form.Item>
      <Form.Item name="type" label={t('checks.field.type')} rules={[{ required: true }]}>
        <Select options={CHECK_TYPES.map((v) => ({ value: v, label: t(`checks.type.${v}`) }))} onChange={() => form.setFieldValue('settings', {})} style={{ width: 260 }} data-testid="check-type" />
      </Form.Item>
      {moved && <Alert showIcon type="warning" title={t('checks.destinationChanged')} style={{ marginBottom: 16 }} data-testid="check-destination-changed" />}
      <SettingsFields type={type} secretsSet={check && check.type === type ? check.secretsSet : {}} />
      <Form.Item name="ciId" label={t('checks.field.ci')} extra={t('checks.help.ci')}>
        <CiPicker allowClear testId="check-ci" known={check?.ciId && check.ciName ? [{ id: check.ciId, name: check.ciName, classCode: '' }] : undefined} />
      </Form.Item>
      {!ciId && (
        <Form.Item name="orgUnitId" label={t('scopes.field.orgUnit')} extra={t('scopes.help.checkOrgUnit')}>
          <OrgUnitTreeSelect placeholder={t('scopes.placeholder.wholeOrganisation')} />
        </Form.Item>
      )}
      <Space size="large" wrap>
        <Form.Item name="intervalSeconds" label={t('checks.field.interval')} rules={[{ required: true, type: 'number', min: CHECK_LIMITS.minIntervalSeconds, message: t('checks.validation.interval', { min: CHECK_LIMITS.minIntervalSeconds }) }]}>
          <InputNumber
            min={CHECK_LIMITS.minIntervalSeconds}
            max={CHECK_LIMITS.maxIntervalSeconds}
            precision={0}
            suffix={t('checks.unit.seconds')}
            onBlur={clampToInterval}
            style={{ width: 180 }}
            data-testid="check-interval"
          />
        </Form.Item>
        <Form.Item
          name="timeoutMs"
          label={t('checks.field.timeout')}
          rules={[
            { required: true, type: 'number', min: CHECK_LIMITS.minTimeoutMs },
            ({ getFieldValue }) => ({
              validator: (_, value: unknown) => {
                const interval: unknown = getFieldValue('intervalSeconds');
                return typeof value === 'number' && typeof interval === 'number' && value > timeoutCeilingMs(interval)
                  ? Promise.reject(new Error(t('checks.validation.timeout', { max: timeoutCeilingMs(interval) })))
                  : Promise.resolve();
              },
            }),
          ]}
        >
          <InputNumber min={CHECK_LIMITS.minTimeoutMs} max={CHECK_LIMITS.maxTimeoutMs} step={1000} precision={0} suffix="ms" style={{ width: 180 }} data-testid="check-timeout" />
        </Form.Item>
        <Form.Item name="enabled" label={t('checks.field.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Space>
      <CheckAlertingFields />
    </FormDrawer>
  );
}
