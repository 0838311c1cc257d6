import { useState } from 'react';
import { Alert, Button, Flex, Tag, Typography, type TableColumnsType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { INBOUND_MAIL_PERMISSIONS, INBOUND_MAIL_STATUSES, type InboundMailDetail, type InboundMailSettings, type InboundMailStatus, type InboundMailSummary } from '@yunwei/contracts/inbound-mail';
import { useAuth } from '../../../app/auth-context';
import { DateTime } from '../../../shared/components/date-time';
import { ListPage } from '../../../shared/components/list-page';
import { useFilteredPage } from '../../../shared/use-filtered-page';
import { useUrlFilters } from '../../../shared/use-url-filters';
import { useInboundMailList, useInboundMailSettings } from '../api/use-inbound-mail';
import { AssignSenderModal } from '../components/assign-sender.modal';
import { InboundMailDrawer } from '../components/inbound-mail.drawer';
import { InboundMailStatusTag } from '../components/inbound-mail-status';

const PAGE_SIZE = 50;
/** The statuses the filter offers (待处理 rows are processed within seconds; they show under 全部). */
const FILTER_STATUSES: readonly InboundMailStatus[] = ['processed', 'quarantined', 'failed', 'discarded'];

/** Whether the receiver is on; when off, how to turn it on. */
function ReceiverState({ settings }: { settings: InboundMailSettings }) {
  const { t } = useTranslation();
  if (!settings.enabled) {
    return <Alert type="info" showIcon style={{ marginTop: 8 }} title={t('inboundMail.settings.off')} description={t('inboundMail.settings.howToTurnOn')} data-testid="inbound-mail-off" />;
  }
  const where = `${settings.host}:${settings.boundPort ?? settings.port}`;
  return (
    <Alert
      type={settings.listening ? 'success' : 'warning'}
      showIcon
      style={{ marginTop: 8 }}
      title={settings.listening ? t('inboundMail.settings.on', { where }) : t('inboundMail.settings.notListening', { where })}
      description={
        <Flex vertical gap={2}>
          <span>{settings.domains.length ? t('inboundMail.settings.domains', { domains: settings.domains.join(', ') }) : t('inboundMail.settings.anyDomain')}</span>
          <span>{settings.allow.length ? t('inboundMail.settings.allow', { networks: settings.allow.join(', ') }) : t('inboundMail.settings.anyNetwork')}</span>
          <span>{t('inboundMail.settings.limits', { size: Math.round(settings.maxBytes / 1024 / 1024) || 1, tls: settings.startTls ? t('inboundMail.settings.tlsOn') : t('inboundMail.settings.tlsOff') })}</span>
          <span>{settings.handlers.length ? t('inboundMail.settings.handlers', { handlers: settings.handlers.join(', ') }) : t('inboundMail.settings.noHandlers')}</span>
        </Flex>
      }
      data-testid="inbound-mail-on"
    />
  );
}

/** 平台管理 › 收件箱与隔离区: mail the SMTP receiver took, what became of it, and the quarantine to settle. */
export default function InboundMailPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const canManage = can(INBOUND_MAIL_PERMISSIONS.manage);
  const filters = useUrlFilters({ status: INBOUND_MAIL_STATUSES });
  const [page, setPage] = useFilteredPage(filters.values);
  const list = useInboundMailList({ ...(filters.values.status ? { status: filters.values.status as InboundMailStatus } : {}), offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE });
  const settings = useInboundMailSettings();
  const [openId, setOpenId] = useState<string | null>(null);
  const [assigning, setAssigning] = useState<InboundMailDetail | null>(null);

  const columns: TableColumnsType<InboundMailSummary> = [
    { title: t('inboundMail.field.receivedAt'), dataIndex: 'receivedAt', width: 170, render: (v: number) => <DateTime value={v} /> },
    { title: t('inboundMail.field.status'), dataIndex: 'status', width: 100, render: (s: InboundMailStatus) => <InboundMailStatusTag status={s} /> },
    {
      title: t('inboundMail.field.subject'),
      key: 'subject',
      render: (_, m) => (
        <Flex vertical>
          <Typography.Link onClick={() => setOpenId(m.id)} data-testid="inbound-mail-open">
            {m.subject || t('inboundMail.noSubject')}
          </Typography.Link>
          {m.reason && (
            <Typography.Text type="secondary" ellipsis={{ tooltip: m.reason }} style={{ maxWidth: 420 }}>
              {m.reason}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    {
      title: t('inboundMail.field.from'),
      key: 'from',
      width: 220,
      render: (_, m) => (
        <Flex vertical>
          <span>{m.senderName ?? (m.fromName || m.from || t('inboundMail.noFrom'))}</span>
          {m.from && <Typography.Text type="secondary">{m.from}</Typography.Text>}
        </Flex>
      ),
    },
    {
      title: t('inboundMail.field.result'),
      key: 'result',
      width: 220,
      render: (_, m) => (m.result ? <Tag color="blue">{m.result.label}</Tag> : <Typography.Text type="secondary">{t('common.empty')}</Typography.Text>),
    },
  ];

  return (
    <ListPage<InboundMailSummary, 'status'>
      title={t('nav.items.inboundMail')}
      pageTestId="inbound-mail-page"
      description={
        <>
          {t('inboundMail.description')}
          {settings.data && <ReceiverState settings={settings.data} />}
        </>
      }
      extra={
        <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()}>
          {t('inboundMail.refresh')}
        </Button>
      }
      emptyDescription={t('inboundMail.empty')}
      filters={{
        state: filters,
        items: [{ key: 'status', type: 'select', placeholder: t('inboundMail.filter.status'), options: FILTER_STATUSES.map((s) => ({ value: s, label: t(`inboundMail.status.${s}`) })) }],
      }}
      rowKey="id"
      columns={columns}
      dataSource={list.data?.items ?? []}
      loading={list.isFetching && !list.data}
      scroll={{ x: 900 }}
      pagination={{ current: page, pageSize: PAGE_SIZE, total: list.data?.total, onChange: setPage, showTotal: (total) => t('common.total', { total }), hideOnSinglePage: true }}
      cards={{ title: 'subject', badges: ['status'] }}
      data-testid="inbound-mail-table"
    >
      <InboundMailDrawer id={openId} canManage={canManage} onAssign={setAssigning} onClose={() => setOpenId(null)} />
      <AssignSenderModal mail={assigning} onClose={() => setAssigning(null)} />
    </ListPage>
  );
}
