import { Space, Tag, Typography, type TableColumnsType } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { AlertGroup } from '@yunwei/contracts/alert-routing';
import { DateTime } from '../../../shared/components/date-time';
import { ListTable } from '../../../shared/components/list-page';
import { useLocalName } from '../../../shared/local-name';
import { useAlertGroups } from '../api/use-alert-routing';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What the dispatcher holds now: groups waiting for or past their first notification, and their escalation. */
export function GroupsTab() {
  const { t } = useTranslation();
  const localName = useLocalName();
  const groups = useAlertGroups();

  const columns: TableColumnsType<AlertGroup> = [
    {
      title: t('alertRouting.field.state'),
      dataIndex: 'state',
      width: 100,
      render: (s: AlertGroup['state']) => <Tag color={s === 'waiting' ? 'gold' : 'blue'}>{t(`alertRouting.group.state.${s}`)}</Tag>,
    },
    { title: t('alertRouting.group.policy'), dataIndex: 'policyName', width: 160, render: (name: string, g) => localName(name, g.policyNameEn) },
    {
      title: t('alertRouting.group.labels'),
      dataIndex: 'labels',
      // Ids (a CI, check or rule grouped on) read as their names; an id whose thing is gone is left out.
      render: (labels: AlertGroup['labels'], group) => (
        <Space size={[4, 4]} wrap>
          {Object.entries(labels)
            .map(([k, v]) => [k, group.labelNames?.[k] ?? v] as const)
            .filter(([, v]) => !UUID.test(v))
            .map(([k, v]) => (
              <Tag key={k}>{`${k}=${v}`}</Tag>
            ))}
        </Space>
      ),
    },
    { title: t('alertRouting.group.alerts'), dataIndex: 'alertCount', width: 90, align: 'right' },
    { title: t('alertRouting.group.firstSeen'), dataIndex: 'firstSeenAt', width: 170, render: (v: number | null) => <DateTime value={v} /> },
    { title: t('alertRouting.group.lastNotified'), dataIndex: 'lastNotifiedAt', width: 170, render: (v: number | null) => <DateTime value={v} /> },
    { title: t('alertRouting.group.nextFlush'), dataIndex: 'nextFlushAt', width: 170, render: (v: number | null) => <DateTime value={v} /> },
    {
      title: t('alertRouting.group.escalation'),
      dataIndex: 'escalation',
      width: 180,
      render: (e: AlertGroup['escalation']) =>
        !e ? (
          <Typography.Text type="secondary">{t('common.empty')}</Typography.Text>
        ) : e.stoppedAt ? (
          <Typography.Text type="secondary">{t('alertRouting.group.stopped', { reason: e.stopReason === 'acknowledged' ? t('alertRouting.group.byAck') : (e.stopReason ?? '') })}</Typography.Text>
        ) : e.nextAt ? (
          <Space orientation="vertical" size={0}>
            <span>{t('alertRouting.group.nextStep', { n: e.nextStep + 1 })}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              <DateTime value={e.nextAt} />
            </Typography.Text>
          </Space>
        ) : (
          <Typography.Text type="secondary">{t('alertRouting.group.allSteps')}</Typography.Text>
        ),
    },
  ];

  return (
    <ListTable<AlertGroup>
      rowKey="id"
      columns={columns}
      dataSource={groups.data}
      loading={groups.isLoading}
      pagination={false}
      scroll={{ x: 1200 }}
      empty={{
        description: t('alertRouting.group.empty'),
        action: (
          <Link to="/alerts" data-testid="groups-empty-link">
            {t('alertRouting.group.goToAlerts')}
          </Link>
        ),
      }}
      data-testid="groups-table"
    />
  );
}
