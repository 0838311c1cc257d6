import type { ReactNode } from 'react';
import { Card, Flex, Tag, Tooltip, Typography } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, QuestionCircleFilled, ToolFilled, WarningFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { PublicComponent, PublicDay, PublicNotice, PublicState, PublicStatusPage } from '@yunwei/contracts/status-pages';
import { DAY_COLORS, SEVERITY_COLORS, STATE_COLORS } from '../status-meta';

const BANNER_ICONS: Record<PublicState, ReactNode> = {
  operational: <CheckCircleFilled />,
  degraded: <WarningFilled />,
  outage: <CloseCircleFilled />,
  maintenance: <ToolFilled />,
  unknown: <QuestionCircleFilled />,
};

/**
 * A time as `YYYY-MM-DD HH:mm` in the page's own zone (visitors may be anywhere; the days are that
 * zone's), the same in both languages: 07/12 means July to some readers and December to others.
 */
export function zonedTime(at: number, timeZone: string): string {
  const parts: Record<string, string> = {};
  for (const p of new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at)) {
    parts[p.type] = p.value;
  }
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

function UptimeBars({ days }: { days: PublicDay[] }) {
  const { t } = useTranslation();
  return (
    <div style={{ display: 'flex', gap: 2, height: 30, alignItems: 'stretch' }} data-testid="uptime-bars">
      {days.map((d) => (
        <Tooltip key={d.date} title={`${d.date} · ${d.uptime === null ? t('statusPage.day.nodata') : t('statusPage.day.uptime', { value: d.uptime.toFixed(2) })}`}>
          <div data-state={d.state} style={{ flex: '1 1 0', minWidth: 3, borderRadius: 3, background: DAY_COLORS[d.state] }} />
        </Tooltip>
      ))}
    </div>
  );
}

function percentText(value: number | null, noData: string): string {
  return value === null ? noData : `${value.toFixed(2)}%`;
}

function ComponentRow({ component, last }: { component: PublicComponent; last: boolean }) {
  const { t } = useTranslation();
  return (
    <div data-testid="status-component" data-state={component.state} style={{ padding: '16px 0', borderBottom: last ? undefined : '1px solid #f0f0f0' }}>
      <Flex justify="space-between" align="baseline" gap={12} style={{ marginBottom: 8 }}>
        <Typography.Text strong style={{ fontSize: 15, minWidth: 0 }} ellipsis={{ tooltip: component.name }}>
          {component.name}
        </Typography.Text>
        <span style={{ color: STATE_COLORS[component.state], fontWeight: 500, whiteSpace: 'nowrap' }} data-testid="status-component-state">
          {t(`statusPage.state.${component.state}`)}
        </span>
      </Flex>
      <UptimeBars days={component.days} />
      <Flex justify="space-between" gap={8} wrap style={{ marginTop: 6, fontSize: 12, color: '#868e96' }}>
        <span>{t('statusPage.public.daysAgo', { count: component.days.length })}</span>
        <span data-testid="status-component-uptime">
          {t('statusPage.public.uptime30d', { value: percentText(component.uptime30d, t('statusPage.day.nodata')) })} ·{' '}
          {t('statusPage.public.uptime24h', { value: percentText(component.uptime24h, t('statusPage.day.nodata')) })}
        </span>
        <span>{t('statusPage.public.today')}</span>
      </Flex>
    </div>
  );
}

function NoticeCard({ notice, timeZone }: { notice: PublicNotice; timeZone: string }) {
  const { t } = useTranslation();
  const color = notice.kind === 'maintenance' ? STATE_COLORS.maintenance : SEVERITY_COLORS[notice.severity];
  const when = `${zonedTime(notice.startsAt, timeZone)}${notice.endsAt === null ? '' : ` – ${zonedTime(notice.endsAt, timeZone)}`}`;
  return (
    <Card size="small" data-testid="status-notice" data-phase={notice.phase} style={{ borderLeft: `4px solid ${color}` }}>
      <Flex gap={8} wrap align="center" style={{ marginBottom: 4 }}>
        <Tag color={color} style={{ marginInlineEnd: 0 }}>
          {notice.kind === 'maintenance' ? t('statusPage.notice.kind.maintenance') : t(`statusPage.notice.severity.${notice.severity}`)}
        </Tag>
        <Typography.Text strong>{notice.title}</Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t(`statusPage.notice.phase.${notice.phase}`)}
        </Typography.Text>
      </Flex>
      {notice.body && <Typography.Paragraph style={{ margin: '4px 0', whiteSpace: 'pre-wrap' }}>{notice.body}</Typography.Paragraph>}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {when}
      </Typography.Text>
    </Card>
  );
}

/**
 * The body of a status page: a banner with the overall state, notices going on, the components with
 * their 30-day bars and uptime, then notices of the last 30 days. The public page and the
 * administrators' preview both show this.
 */
export function StatusView({ page }: { page: PublicStatusPage }) {
  const { t } = useTranslation();
  const current = page.notices.filter((n) => n.phase !== 'ended');
  const past = page.notices.filter((n) => n.phase === 'ended');
  return (
    <Flex vertical gap={16}>
      <div
        data-testid="status-banner"
        data-state={page.state}
        role="status"
        style={{ background: STATE_COLORS[page.state], color: '#fff', borderRadius: 8, padding: '20px 24px', display: 'flex', alignItems: 'center', gap: 16 }}
      >
        <span style={{ fontSize: 32, lineHeight: 1 }}>{BANNER_ICONS[page.state]}</span>
        <div style={{ minWidth: 0 }}>
          <div style={{ fontSize: 20, fontWeight: 600 }}>{t(`statusPage.public.banner.${page.state}`)}</div>
          <div style={{ opacity: 0.85, fontSize: 13 }}>{t('statusPage.public.updated', { time: zonedTime(page.at, page.timeZone) })}</div>
        </div>
      </div>
      {current.length > 0 && (
        <Flex vertical gap={8} data-testid="status-current-notices">
          {current.map((n) => (
            <NoticeCard key={`${n.startsAt}-${n.title}`} notice={n} timeZone={page.timeZone} />
          ))}
        </Flex>
      )}
      <Card title={t('statusPage.public.components')} styles={{ body: { paddingTop: 0, paddingBottom: 0 } }}>
        {page.components.length ? (
          page.components.map((c, i) => <ComponentRow key={i} component={c} last={i === page.components.length - 1} />)
        ) : (
          <Typography.Paragraph type="secondary" style={{ padding: '16px 0', margin: 0 }}>
            {t('statusPage.public.noComponents')}
          </Typography.Paragraph>
        )}
      </Card>
      {past.length > 0 && (
        <Flex vertical gap={8} data-testid="status-past-notices">
          <Typography.Title level={5} style={{ margin: '8px 0 0' }}>
            {t('statusPage.public.pastNotices')}
          </Typography.Title>
          {past.map((n) => (
            <NoticeCard key={`${n.startsAt}-${n.title}`} notice={n} timeZone={page.timeZone} />
          ))}
        </Flex>
      )}
    </Flex>
  );
}
