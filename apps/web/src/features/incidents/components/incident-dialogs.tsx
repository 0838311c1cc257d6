import { DatePicker, Form, Input, Select, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { INCIDENT_LIMITS, INCIDENT_TIME_FIELDS, type Incident, type IncidentAction } from '@yunwei/contracts/incidents';
import { FormModal } from '../../../shared/components/form-modal';
import { useAssignIncident, useIncidentOptions, useIncidentTimes, useTransitionIncident } from '../api/use-incidents';
import { useIncidentNames } from './incident-tags';

/** Actions that ask for something first (a reason, what was done); the others run at once. */
export const ACTIONS_WITH_DIALOG: readonly IncidentAction[] = ['hold', 'resolve', 'cancel', 'reopen', 'close'];

export function isConflict(error: unknown): boolean {
  return Boolean(error && typeof error === 'object' && (error as { code?: string }).code === 'YW_INCIDENT_VERSION_CONFLICT');
}

/** Runs a change and tells the page when the server says the incident changed meanwhile (409). */
export function watchConflict<T>(run: () => Promise<T>, onConflict: () => void): Promise<T> {
  return run().catch((error: unknown) => {
    if (isConflict(error)) {
      onConflict();
    }
    throw error;
  });
}

interface TransitionValues {
  pauseReason?: string;
  note?: string;
}

/** 挂起 (a pause reason and a note), 解决 (what was done), 取消 / 重新打开 / 关闭 (why). */
export function TransitionModal({ incident, action, onClose, onConflict }: { incident: Incident; action: IncidentAction | null; onClose: () => void; onConflict: () => void }) {
  const { t } = useTranslation();
  const names = useIncidentNames();
  const options = useIncidentOptions(action === 'hold');
  const transition = useTransitionIncident();
  const noteLabel = action === 'resolve' ? t('incidents.transition.resolution') : action === 'hold' ? t('incidents.transition.holdNote') : t('incidents.transition.note');
  return (
    <FormModal<TransitionValues, Incident>
      open={action !== null}
      name="incident-transition"
      testId="incident-transition"
      title={action ? t('incidents.transition.title', { action: names.action(action), number: incident.number }) : ''}
      submitText={action ? names.action(action) : undefined}
      success={action ? t('incidents.transition.done', { action: names.action(action) }) : null}
      onSubmit={(v) =>
        watchConflict(
          () => transition.mutateAsync({ id: incident.id, body: { action: action ?? 'start', version: incident.version, ...(v.pauseReason ? { pauseReason: v.pauseReason } : {}), ...(v.note?.trim() ? { note: v.note.trim() } : {}) } }),
          onConflict,
        )
      }
      onClose={onClose}
    >
      {action === 'hold' && (
        <Form.Item name="pauseReason" label={t('incidents.transition.pauseReason')} rules={[{ required: true, message: t('incidents.transition.pauseReasonRequired') }]}>
          <Select
            loading={options.isLoading}
            options={(options.data?.pauseReasons ?? []).map((r) => ({ value: r.code, label: r.pausesSla ? `${r.name} · ${t('incidents.transition.pausesSla')}` : r.name }))}
            data-testid="incident-pause-reason"
          />
        </Form.Item>
      )}
      <Form.Item
        name="note"
        label={noteLabel}
        rules={[
          ...(action === 'resolve' ? [{ required: true, whitespace: true, message: t('incidents.transition.resolutionRequired') }] : []),
          { max: INCIDENT_LIMITS.comment, message: t('common.validation.maxLength', { max: INCIDENT_LIMITS.comment }) },
        ]}
      >
        <Input.TextArea rows={3} data-testid="incident-transition-note" />
      </Form.Item>
    </FormModal>
  );
}

interface AssignValues {
  assigneeId?: string | null;
  groupId?: string | null;
  note?: string;
}

/** 指派 / 转派: a person and a group, and why. */
export function AssignModal({ incident, open, onClose, onConflict }: { incident: Incident; open: boolean; onClose: () => void; onConflict: () => void }) {
  const { t } = useTranslation();
  const options = useIncidentOptions(open);
  const assign = useAssignIncident();
  const reassign = Boolean(incident.assignee);
  return (
    <FormModal<AssignValues, Incident>
      open={open}
      name="incident-assign"
      testId="incident-assign"
      title={reassign ? t('incidents.assign.reassignTitle', { number: incident.number }) : t('incidents.assign.title', { number: incident.number })}
      submitText={reassign ? t('incidents.assign.reassign') : t('incidents.assign.assign')}
      success={t('incidents.assign.done')}
      initialValues={{ assigneeId: incident.assignee?.id ?? null, groupId: incident.group?.id ?? null }}
      onSubmit={(v) => watchConflict(() => assign.mutateAsync({ id: incident.id, body: { version: incident.version, assigneeId: v.assigneeId ?? null, groupId: v.groupId ?? null, ...(v.note?.trim() ? { note: v.note.trim() } : {}) } }), onConflict)}
      onClose={onClose}
    >
      <Form.Item name="assigneeId" label={t('incidents.field.assignee')}>
        <Select allowClear showSearch={{ optionFilterProp: 'label' }} loading={options.isLoading} options={(options.data?.people ?? []).map((p) => ({ value: p.id, label: `${p.name} (${p.username})` }))} placeholder={t('incidents.unassigned')} data-testid="assign-person" />
      </Form.Item>
      <Form.Item name="groupId" label={t('incidents.field.group')}>
        <Select allowClear showSearch={{ optionFilterProp: 'label' }} loading={options.isLoading} options={(options.data?.groups ?? []).map((g) => ({ value: g.id, label: g.name }))} placeholder={t('incidents.noGroup')} data-testid="assign-group" />
      </Form.Item>
      <Form.Item name="note" label={t('incidents.assign.note')} rules={[{ max: INCIDENT_LIMITS.reason, message: t('common.validation.maxLength', { max: INCIDENT_LIMITS.reason }) }]}>
        <Input.TextArea rows={2} />
      </Form.Item>
    </FormModal>
  );
}

type TimesValues = Partial<Record<(typeof INCIDENT_TIME_FIELDS)[number], Dayjs | null>>;

/** 发现 / 响应 / 缓解 / 解决 times, each at or after the one before (the server checks the order too). */
export function TimesModal({ incident, open, onClose, onConflict }: { incident: Incident; open: boolean; onClose: () => void; onConflict: () => void }) {
  const { t } = useTranslation();
  const times = useIncidentTimes();
  const initial = Object.fromEntries(INCIDENT_TIME_FIELDS.map((f) => [f, incident[f] ? dayjs(incident[f]) : null]));
  const epoch = (d: Dayjs | null | undefined) => (d ? d.valueOf() : null);
  return (
    <FormModal<TimesValues, Incident>
      open={open}
      editing
      name="incident-times"
      testId="incident-times"
      title={t('incidents.times.editTitle', { number: incident.number })}
      initialValues={initial}
      onSubmit={(v) =>
        watchConflict(
          () =>
            times.mutateAsync({
              id: incident.id,
              body: { version: incident.version, detectedAt: epoch(v.detectedAt) ?? incident.detectedAt, acknowledgedAt: epoch(v.acknowledgedAt), mitigatedAt: epoch(v.mitigatedAt), resolvedAt: epoch(v.resolvedAt) },
            }),
          onConflict,
        )
      }
      onClose={onClose}
    >
      <Typography.Paragraph type="secondary">{t('incidents.times.help')}</Typography.Paragraph>
      {INCIDENT_TIME_FIELDS.map((field, i) => (
        <Form.Item
          key={field}
          name={field}
          label={t(`incidents.times.${field}`)}
          dependencies={i > 0 ? [INCIDENT_TIME_FIELDS[i - 1] as string] : []}
          rules={[
            ...(field === 'detectedAt' ? [{ required: true, message: t('incidents.times.detectedRequired') }] : []),
            ({ getFieldValue }) => ({
              validator: (_, value: Dayjs | null | undefined) => {
                const earlier = INCIDENT_TIME_FIELDS.slice(0, i)
                  .map((f) => getFieldValue(f) as Dayjs | null | undefined)
                  .filter((d): d is Dayjs => Boolean(d));
                return value && earlier.some((d) => value.isBefore(d)) ? Promise.reject(new Error(t('incidents.times.order'))) : Promise.resolve();
              },
            }),
          ]}
        >
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" allowClear={field !== 'detectedAt'} data-testid={`times-${field}`} />
        </Form.Item>
      ))}
    </FormModal>
  );
}
