import { useMemo } from 'react';
import { Form, Input, Select, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { DEFAULT_TIME_ZONE, type Schedule, type ScheduleInput } from '@yunwei/contracts/oncall';
import { ApiError } from '../../../app/api-client';
import { FormDrawer } from '../../../shared/components/form-drawer';
import { applyServerErrors } from '../../../shared/form-errors';
import { useCandidates, useCreateSchedule, useUpdateSchedule } from '../api/use-oncall';
import { newRotation, RotationFields, type RotationValues } from './rotation-fields';

interface FormValues {
  name: string;
  description?: string;
  timeZone: string;
  rotations: RotationValues[];
}

interface Props {
  open: boolean;
  /** The schedule to edit; null: a new one. */
  schedule: Schedule | null;
  onClose: () => void;
  onSaved?: (schedule: Schedule) => void;
}

/** Rotation errors (`body.rotations.1.members.0`) go on the rotation's field in the list. */
function showErrors(form: FormInstance<FormValues>, error: unknown): void {
  const m = error instanceof ApiError ? /^body\.rotations\.(\d+)\.(\w+)/.exec(error.details?.field ?? '') : null;
  if (error instanceof ApiError && m) {
    const key = (m[2] === 'windowStart' || m[2] === 'windowEnd' ? 'window' : m[2]) as keyof RotationValues;
    form.setFields([{ name: ['rotations', Number(m[1]), key], errors: [error.details?.fields?.[0]?.message ?? error.message] }]);
    return;
  }
  applyServerErrors(form, error);
}

const toValues = (schedule: Schedule): FormValues => ({
  name: schedule.name,
  description: schedule.description,
  timeZone: schedule.timeZone,
  rotations: schedule.rotations.map(({ windowStart, windowEnd, ...r }) => ({ ...r, window: windowStart && windowEnd ? [windowStart, windowEnd] : null })),
});

const toBody = (values: FormValues): ScheduleInput => ({
  name: values.name.trim(),
  description: values.description ?? '',
  timeZone: values.timeZone,
  rotations: (values.rotations ?? []).map(({ window: range, id, ...r }) => ({ ...r, ...(id ? { id } : {}), name: r.name.trim(), windowStart: range?.[0] ?? null, windowEnd: range?.[1] ?? null })),
});

/** Create or change a schedule and its rotation layers. */
export function ScheduleFormDrawer({ open, schedule, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const candidates = useCandidates(open);
  const create = useCreateSchedule();
  const update = useUpdateSchedule();
  // China's zone first; UTC is missing from some browsers' list.
  const zones = useMemo(() => [...new Set([DEFAULT_TIME_ZONE, 'UTC', ...Intl.supportedValuesOf('timeZone')])].map((z) => ({ value: z, label: z })), []);

  return (
    <FormDrawer<FormValues, Schedule>
      open={open}
      editing={schedule !== null}
      title={t('oncall.createTitle')}
      editTitle={schedule && t('oncall.editTitle', { name: schedule.name })}
      name="schedule-form"
      testId="schedule-form"
      width={720}
      initialValues={schedule ? toValues(schedule) : { timeZone: DEFAULT_TIME_ZONE, rotations: [newRotation(t('oncall.rotation.defaultName', { n: 1 }))] }}
      onSubmit={(values) => (schedule ? update.mutateAsync({ id: schedule.id, body: toBody(values) }) : create.mutateAsync(toBody(values)))}
      success={schedule ? t('common.saved') : t('oncall.created')}
      fieldErrors={showErrors}
      onSaved={onSaved}
      onClose={onClose}
    >
      <Form.Item name="name" label={t('oncall.field.name')} rules={[{ required: true, whitespace: true, message: t('oncall.validation.required', { field: t('oncall.field.name') }) }, { max: 100 }]}>
        <Input data-testid="schedule-name" />
      </Form.Item>
      <Form.Item name="description" label={t('oncall.field.description')} rules={[{ max: 1000 }]}>
        <Input.TextArea rows={2} />
      </Form.Item>
      <Form.Item name="timeZone" label={t('oncall.field.timeZone')} extra={t('oncall.help.timeZone')}>
        <Select showSearch options={zones} style={{ width: 260 }} />
      </Form.Item>
      <RotationFields candidates={candidates.data ?? []} />
    </FormDrawer>
  );
}
