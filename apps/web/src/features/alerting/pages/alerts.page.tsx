import { useState } from 'react';
import { Badge, Button, Card, Space, Tabs, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { CheckOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { alertObjectName, SEVERITIES, type Alert, type AlertListQuery } from '@yunwei/contracts/alerting';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { useAuth } from '../../../app/auth-context';
import { DateTime } from '../../../shared/components/date-time';
import { ListTable } from '../../../shared/components/list-page';
import { PageContainer } from '../../../shared/components/page-container';
import { localName } from '../../../shared/local-name';
import { runWithFeedback } from '../../../shared/confirm-mutation';
import { writeFilters } from '../../../shared/url-filters';
import { useFilteredPage } from '../../../shared/use-filtered-page';
import { useIsPhone } from '../../../shared/use-is-phone';
import { useUrlFilters } from '../../../shared/use-url-filters';
import { useAckAlerts, useAlerts, useLiveAlerts } from '../api/use-alerting';
import { AlertDetailDrawer } from '../components/alert-detail.drawer';
import { AlertStateTag, SeverityTag } from '../components/severity-tag';

const PAGE_SIZE = 50;
const OPEN_STATES = ['pending', 'firing', 'acknowledged'] as const;
const OPEN = OPEN_STATES.join(',');

/** The live alert list (open alerts, pushed over a WebSocket) and the history of resolved ones. */
export default function AlertsPage() {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  // Links in notifications open one alert (`/alerts/<id>`; before, `?alert=<id>`) or the history (`?tab=history`).
  const phone = useIsPhone();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'history' ? 'history' : 'open';
  // The state filter is the open tab's (the history holds resolved alerts only).
  const filters = useUrlFilters({ q: 'text', severity: SEVERITIES, state: tab === 'open' ? OPEN_STATES : [] });
  const { q, severity, state } = filters.values;
  const [page, setPage] = useFilteredPage({ ...filters.values, tab });
  const [selected, setSelected] = useState<string[]>([]);
  const viewing = params.get('alert');
  const setViewing = (id: string | null) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (id) {
          next.set('alert', id);
        } else {
          next.delete('alert');
        }
        return next;
      },
      { replace: true },
    );
  const alerts = useAlerts({
    state: tab === 'history' ? 'resolved' : state || OPEN,
    q: q.trim() || undefined,
    severity: (severity || undefined) as AlertListQuery['severity'],
    offset: (page - 1) * PAGE_SIZE,
    limit: PAGE_SIZE,
  });
  const status = useLiveAlerts();
  const ack = useAckAlerts();
  const canAck = can('alerting.alert.ack');
  const lang = i18n.language.startsWith('zh') ? 'zh' : 'en';
  const switchTab = (key: string) => {
    setSelected([]);
    setParams(
      (p) => {
        const next = writeFilters(p, { state: '' });
        if (key === 'history') {
          next.set('tab', key);
        } else {
          next.delete('tab');
        }
        return next;
      },
      { replace: true },
    );
  };

  const columns: TableColumnsType<Alert> = [
    { key: 'severity', title: t('alerts.field.severity'), dataIndex: 'severity', width: 90, render: (_, a) => <SeverityTag severity={a.severity} /> },
    {
      key: 'state',
      title: t('alerts.field.state'),
      dataIndex: 'state',
      width: 150,
      render: (_, a) => (
        <Space size={4}>
          <AlertStateTag state={a.state} />
          {a.suppressedBy.length > 0 && (
            <Tooltip title={a.suppressedBy.map((s) => s.reason).join('；')}>
              <Tag color="purple" data-testid="alert-suppressed-badge">
                {t('alerts.suppressed')}
              </Tag>
            </Tooltip>
          )}
        </Space>
      ),
    },
    {
      key: 'summary',
      title: t('alerts.field.summary'),
      dataIndex: 'annotations',
      render: (_, a) => (
        <Space orientation="vertical" size={0}>
          {/* A phone opens the alert's page (a drawer over a list has no room there). */}
          {phone ? (
            <Link to={`/alerts/${a.id}`} data-testid={`alert-row-${a.ruleName}`}>
              {a.annotations[lang].summary || localName(i18n.language, a.ruleName, a.ruleNameEn)}
            </Link>
          ) : (
            <Typography.Link onClick={() => setViewing(a.id)} data-testid={`alert-row-${a.ruleName}`}>
              {a.annotations[lang].summary || localName(i18n.language, a.ruleName, a.ruleNameEn)}
            </Typography.Link>
          )}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {localName(i18n.language, a.ruleName, a.ruleNameEn)}
            {alertObjectName(a.labels) ? ` · ${alertObjectName(a.labels)}` : ''}
            {a.labels.business_name ? ` · ${t('alerts.field.business')} ${a.labels.business_name}` : ''}
          </Typography.Text>
        </Space>
      ),
    },
    { key: 'value', title: t('alerts.field.value'), dataIndex: 'value', width: 110, align: 'right', render: (v: number | null) => (v === null ? t('common.empty') : Number(v.toPrecision(6))) },
    { key: 'startedAt', title: t('alerts.field.startedAt'), dataIndex: 'startedAt', width: 170, render: (v: number) => <DateTime value={v} /> },
    ...(tab === 'history' ? [{ key: 'resolvedAt', title: t('alerts.field.resolvedAt'), dataIndex: 'resolvedAt', width: 170, render: (v: number | null) => <DateTime value={v} /> }] : []),
  ];

  if (phone && viewing) {
    // An older link (`/alerts?alert=<id>`) on a phone: the alert's own page.
    return <Navigate to={`/alerts/${encodeURIComponent(viewing)}`} replace />;
  }

  const bulkAck = () =>
    runWithFeedback({
      run: () => ack.mutateAsync({ ids: selected }),
      success: (r) => t('alerts.bulkAcked', { count: r.acknowledged, skipped: r.skipped }),
      onDone: () => setSelected([]),
    });

  // Nothing open: say where alerts come from, and link there (for who may read it).
  const emptyAction =
    tab === 'open' ? (
      <Space wrap>
        {can('alerting.rule.read') && <Link to="/alerts/rules">{t('nav.items.alertRules')}</Link>}
        {can('checks.check.read') && <Link to="/monitoring/checks">{t('nav.items.checks')}</Link>}
      </Space>
    ) : (
      <Link to="/alerts">{t('alerts.tab.open')}</Link>
    );

  return (
    <PageContainer
      title={t('nav.items.alerts')}
      description={t('nav.descriptions.alerts')}
      testId="alerts-page"
      extra={
        <Badge status={status === 'open' ? 'success' : status === 'connecting' ? 'processing' : 'default'} text={t(`alerts.live.${status}`)} data-testid="alerts-live-status" />
      }
    >
      <Card variant="borderless">
        <Tabs
          activeKey={tab}
          onChange={switchTab}
          items={[
            { key: 'open', label: t('alerts.tab.open') },
            { key: 'history', label: t('alerts.tab.history') },
          ]}
          // Acknowledging the selected alerts: the open tab's action, on its tab bar.
          tabBarExtraContent={
            tab === 'open' &&
            canAck && (
              <Button icon={<CheckOutlined />} disabled={selected.length === 0} loading={ack.isPending} onClick={() => void bulkAck()} data-testid="alerts-bulk-ack">
                {t('alerts.bulkAck', { count: selected.length })}
              </Button>
            )
          }
        />
        <ListTable<Alert, 'q' | 'severity' | 'state'>
          filters={{
            state: filters,
            items: [
              { key: 'q', type: 'search', placeholder: t('alerts.searchPlaceholder') },
              { key: 'severity', type: 'select', placeholder: t('alerts.field.severity'), options: SEVERITIES.map((s) => ({ value: s, label: t(`alerts.severity.${s}`) })), width: 130 },
              ...(tab === 'open' ? [{ key: 'state' as const, type: 'select' as const, placeholder: t('alerts.field.state'), options: OPEN_STATES.map((s) => ({ value: s, label: t(`alerts.state.${s}`) })), width: 130 }] : []),
            ],
          }}
          empty={{ description: t(tab === 'open' ? 'alerts.emptyOpen' : 'alerts.emptyHistory'), action: emptyAction }}
          rowKey="id"
          columns={columns}
          // The summary wraps in what the fixed-width columns leave (not one long line pushing them out of view).
          scroll={{ x: 960 }}
          dataSource={alerts.data?.items}
          loading={alerts.isLoading}
          rowSelection={tab === 'open' && canAck ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]), getCheckboxProps: (a) => ({ disabled: a.state !== 'firing' }) } : undefined}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: alerts.data?.total,
            showSizeChanger: false,
            showTotal: (total) => t('common.total', { total }),
            hideOnSinglePage: true,
            onChange: setPage,
          }}
          data-testid="alerts-table"
          cards={{ title: 'summary', badges: ['severity', 'state'], fields: ['value', 'startedAt', 'resolvedAt'], onOpen: (a) => void navigate(`/alerts/${a.id}`) }}
        />
      </Card>
      <AlertDetailDrawer id={viewing} onClose={() => setViewing(null)} />
    </PageContainer>
  );
}
