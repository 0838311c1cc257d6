import { Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  INCIDENT_ACTION_NAMES,
  INCIDENT_LEVEL_NAMES,
  INCIDENT_MAJOR_ROLE_NAMES,
  INCIDENT_SOURCE_NAMES,
  INCIDENT_STATUS_NAMES,
  type IncidentAction,
  type IncidentLevel,
  type IncidentMajorRole,
  type IncidentPriority,
  type IncidentSource,
  type IncidentStatus,
} from '@yunwei/contracts/incidents';
import { useNow } from '../../../shared/use-now';
import { localized, minutesParts, PRIORITY_COLORS, slaCountdown, STATUS_COLORS } from '../incident-meta';

/** The contract's names (statuses, actions, levels, sources, roles) in the reader's language. */
export function useIncidentNames() {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  return {
    status: (s: IncidentStatus) => localized(INCIDENT_STATUS_NAMES[s], lang),
    action: (a: IncidentAction) => localized(INCIDENT_ACTION_NAMES[a], lang),
    level: (l: IncidentLevel) => localized(INCIDENT_LEVEL_NAMES[l], lang),
    source: (s: IncidentSource) => localized(INCIDENT_SOURCE_NAMES[s], lang),
    role: (r: IncidentMajorRole) => localized(INCIDENT_MAJOR_ROLE_NAMES[r], lang),
  };
}

export function PriorityTag({ priority, testId }: { priority: IncidentPriority; testId?: string }) {
  return (
    <Tag color={PRIORITY_COLORS[priority]} style={{ fontWeight: 600 }} data-testid={testId}>
      {priority}
    </Tag>
  );
}

export function StatusTag({ status, testId }: { status: IncidentStatus; testId?: string }) {
  const names = useIncidentNames();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid={testId}>
      {names.status(status)}
    </Tag>
  );
}

/** "1 天 2 小时 5 分" */
export function useDuration(): (minutes: number) => string {
  const { t } = useTranslation();
  return (minutes) => {
    const p = minutesParts(minutes);
    return p.days > 0 ? t('incidents.duration.days', p) : p.hours > 0 ? t('incidents.duration.hours', p) : t('incidents.duration.minutes', p);
  };
}

/** 剩余 1 小时 20 分 / 已超时 (red), moving every half minute. */
export function SlaDue({ dueAt, breached, testId }: { dueAt: number | null; breached: boolean; testId?: string }) {
  const { t } = useTranslation();
  const now = useNow(30_000);
  const left = slaCountdown(dueAt, breached, now);
  if (left.kind === 'none') {
    return <Typography.Text type="secondary">{t('common.empty')}</Typography.Text>;
  }
  if (left.kind === 'breached') {
    return (
      <Tag color="red" data-testid={testId}>
        {t('incidents.sla.breached')}
      </Tag>
    );
  }
  const text = left.days > 0 ? t('incidents.sla.leftDays', left) : left.hours > 0 ? t('incidents.sla.leftHours', left) : t('incidents.sla.leftMinutes', left);
  return (
    <Typography.Text type={left.days === 0 && left.hours === 0 && left.minutes <= 30 ? 'warning' : undefined} style={{ whiteSpace: 'nowrap' }} data-testid={testId}>
      {text}
    </Typography.Text>
  );
}
