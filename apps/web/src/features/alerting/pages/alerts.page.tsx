import { useState } from 'react';
import { Badge, Button, Card, Flex, Input, Select, Space, Tabs, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { CheckOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { alertObjectName, SEVERITIES, type Alert, type AlertListQuery } from '@yunwei/contracts/alerting';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { useAuth } from '../../../app/auth-context';
import { DateTime } from '../../../shared/components/date-time';
import { PageContainer } from '../../../shared/components/page-container';
import { localName } from '../../../shared/local-name';
import { ResponsiveTable } from '../../../shared/components/responsive-table';
import { feedback } from '../../../shared/feedback';
import { useIsPhone } from '../../../shared/use-is-phone';
import { useAckAlerts, useAlerts, useLiveAlerts } from '../api/use-alerting';
import { AlertDetailDrawer } from '../components/alert-detail.drawer';
import { AlertStateTag, SeverityTag } from '../components/severity-tag';

const PAGE_SIZE = 50;
const OPEN = 'pending,firing,acknowledged';

/** The live alert list (open alerts, pushed over a WebSocket) and the history of resolved ones. */
export default function AlertsPage() {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  // Links in notifications open one alert (`/alerts/<id>`; before, `?alert=<id>`) or the history (`?tab=history`).
  const phone = useIsPhone();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [tab, setTab] = useState<'open' | 'history'>(params.get('tab') === 'history' ? 'history' : 'open');
  const [query, setQuery] = useState<AlertListQuery>({ state: tab === 'history' ? 'resolved' : OPEN, offset: 0, limit: PAGE_SIZE });
  const [search, setSearch] = useState('');
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
  const alerts = useAlerts(query);
  const status = useLiveAlerts();
  const ack = useAckAlerts();
  const lang = i18n.language.startsWith('zh') ? 'zh' : 'en';
  const filter = (patch: Partial<AlertListQuery>) => setQuery((q) => ({ ...q, ...patch, offset: 0 }));

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
    ack.mutate(
      { ids: selected },
      {
        onSuccess: (r) => {
          setSelected([]);
          void feedback.current?.message.success(t('alerts.bulkAcked', { count: r.acknowledged, skipped: r.skipped }));
        },
      },
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
          onChange={(key) => {
            setTab(key as 'open' | 'history');
            setSelected([]);
            filter({ state: key === 'open' ? OPEN : 'resolved' });
          }}
          items={[
            { key: 'open', label: t('alerts.tab.open') },
            { key: 'history', label: t('alerts.tab.history') },
          ]}
        />
        <Flex wrap gap={8} style={{ marginBottom: 16 }}>
          <Input.Search allowClear placeholder={t('alerts.searchPlaceholder')} value={search} onChange={(e) => setSearch(e.target.value)} onSearch={(q) => filter({ q: q.trim() || undefined })} style={phone ? { flex: '1 1 100%' } : { width: 280 }} />
          <Select allowClear placeholder={t('alerts.field.severity')} options={SEVERITIES.map((s) => ({ value: s, label: t(`alerts.severity.${s}`) }))} onChange={(severity) => filter({ severity })} style={phone ? { flex: 1 } : { width: 130 }} />
          {tab === 'open' && (
            <Select
              allowClear
              placeholder={t('alerts.field.state')}
              options={(['pending', 'firing', 'acknowledged'] as const).map((s) => ({ value: s, label: t(`alerts.state.${s}`) }))}
              onChange={(state?: string) => filter({ state: state ?? OPEN })}
              style={phone ? { flex: 1 } : { width: 130 }}
            />
          )}
          {tab === 'open' && can('alerting.alert.ack') && (
            <Button icon={<CheckOutlined />} disabled={selected.length === 0} loading={ack.isPending} onClick={bulkAck} data-testid="alerts-bulk-ack">
              {t('alerts.bulkAck', { count: selected.length })}
            </Button>
          )}
        </Flex>
        <ResponsiveTable<Alert>
          rowKey="id"
          columns={columns}
          // The summary wraps in what the fixed-width columns leave (not one long line pushing them out of view).
          scroll={{ x: 960 }}
          dataSource={alerts.data?.items}
          loading={alerts.isLoading}
          rowSelection={tab === 'open' && can('alerting.alert.ack') ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]), getCheckboxProps: (a) => ({ disabled: a.state !== 'firing' }) } : undefined}
          locale={{ emptyText: t(tab === 'open' ? 'alerts.emptyOpen' : 'alerts.emptyHistory') }}
          pagination={{
            current: (query.offset ?? 0) / PAGE_SIZE + 1,
            pageSize: PAGE_SIZE,
            total: alerts.data?.total,
            showSizeChanger: false,
            showTotal: (total) => t('common.total', { total }),
            hideOnSinglePage: true,
            onChange: (page) => setQuery((q) => ({ ...q, offset: (page - 1) * PAGE_SIZE })),
          }}
          data-testid="alerts-table"
          cards={{ title: 'summary', badges: ['severity', 'state'], fields: ['value', 'startedAt', 'resolvedAt'], onOpen: (a) => void navigate(`/alerts/${a.id}`) }}
        />
      </Card>
      <AlertDetailDrawer id={viewing} onClose={() => setViewing(null)} />
    </PageContainer>
  );
}
