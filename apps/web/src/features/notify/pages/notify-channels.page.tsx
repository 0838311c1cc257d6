import { Card, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useAuth } from '../../../app/auth-context';
import { PageContainer } from '../../../shared/components/page-container';
import { ChannelsTab } from '../components/channels-tab';
import { DeliveriesTab } from '../components/deliveries-tab';
import { PublicUrlNotice } from '../components/public-url-notice';

/** 通知渠道: the channels (with "send a test message") and the delivery log. */
export default function NotifyChannelsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'deliveries' ? 'deliveries' : 'channels';
  const canWrite = can('notify.channel.write');
  // Sending a test and resending reach only the destination an administrator set: operators may.
  const canSend = can('notify.delivery.send');

  return (
    <PageContainer title={t('nav.items.notifyChannels')} description={t('nav.descriptions.notifyChannels')} testId="notify-page">
      <Card variant="borderless">
        <PublicUrlNotice />
        <Tabs
          activeKey={tab}
          onChange={(key) => setParams(key === 'channels' ? {} : { tab: key }, { replace: true })}
          destroyOnHidden
          items={[
            { key: 'channels', label: <span data-testid="notify-tab-channels">{t('notify.tab.channels')}</span>, children: <ChannelsTab canWrite={canWrite} canSend={canSend} /> },
            {
              key: 'deliveries',
              label: <span data-testid="notify-tab-deliveries">{t('notify.tab.deliveries')}</span>,
              children: can('notify.delivery.read') ? <DeliveriesTab canSend={canSend} /> : null,
            },
          ]}
        />
      </Card>
    </PageContainer>
  );
}
