import { Alert, Button, Descriptions, Drawer, Flex, Popconfirm, Skeleton, Typography } from 'antd';
import { DeleteOutlined, DownloadOutlined, RedoOutlined, UserAddOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { InboundMailDetail } from '@yunwei/contracts/inbound-mail';
import { downloadFile } from '../../../app/api-client';
import { DateTime } from '../../../shared/components/date-time';
import { runWithFeedback } from '../../../shared/confirm-mutation';
import { useDiscardInboundMail, useInboundMail, useProcessInboundMail } from '../api/use-inbound-mail';
import { InboundMailStatusTag } from './inbound-mail-status';

/** Statuses a person may still act on (processed and discarded mail is done). */
const OPEN = new Set(['quarantined', 'failed', 'received']);

function formatBytes(size: number): string {
  return size < 1024 ? `${size} B` : size < 1024 * 1024 ? `${(size / 1024).toFixed(1)} KB` : `${(size / 1024 / 1024).toFixed(1)} MB`;
}

/** One mail: who sent it to whom, the text, the attachments, why it is quarantined and what it became; the actions on it. */
export function InboundMailDrawer({ id, canManage, onAssign, onClose }: { id: string | null; canManage: boolean; onAssign: (mail: InboundMailDetail) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const { data: mail, isLoading } = useInboundMail(id);
  const process = useProcessInboundMail();
  const discard = useDiscardInboundMail();
  const open = mail !== undefined && OPEN.has(mail.status);
  return (
    <Drawer open={id !== null} size={760} title={mail ? mail.subject || t('inboundMail.noSubject') : t('inboundMail.detail')} onClose={onClose} data-testid="inbound-mail-drawer">
      {isLoading || !mail ? (
        <Skeleton active />
      ) : (
        <Flex vertical gap={16}>
          {mail.reason && <Alert type={mail.status === 'failed' ? 'error' : 'warning'} showIcon title={t('inboundMail.why')} description={mail.reason} data-testid="inbound-mail-reason" />}
          <Flex gap={8} wrap>
            {canManage && open && (
              <Button type="primary" icon={<UserAddOutlined />} onClick={() => onAssign(mail)} data-testid="inbound-mail-assign">
                {t('inboundMail.action.assign')}
              </Button>
            )}
            {canManage && open && (
              <Button
                icon={<RedoOutlined />}
                loading={process.isPending}
                onClick={() => void runWithFeedback({ run: () => process.mutateAsync({ id: mail.id, body: {} }), success: (result) => t(`inboundMail.outcome.${result.status}`) })}
                data-testid="inbound-mail-reprocess"
              >
                {t('inboundMail.action.reprocess')}
              </Button>
            )}
            {canManage && open && (
              <Popconfirm
                title={t('inboundMail.discardConfirm', { subject: mail.subject || t('inboundMail.noSubject') })}
                description={t('inboundMail.discardHint')}
                okText={t('inboundMail.action.discard')}
                cancelText={t('common.cancel')}
                okButtonProps={{ danger: true }}
                onConfirm={() => runWithFeedback({ run: () => discard.mutateAsync(mail.id), success: t('inboundMail.discarded') })}
              >
                <Button danger icon={<DeleteOutlined />} loading={discard.isPending} data-testid="inbound-mail-discard">
                  {t('inboundMail.action.discard')}
                </Button>
              </Popconfirm>
            )}
            <Button icon={<DownloadOutlined />} onClick={() => void downloadFile(`/api/inbound-mail/${mail.id}/raw`, {}, `${mail.id}.eml`)} data-testid="inbound-mail-raw">
              {t('inboundMail.action.raw')}
            </Button>
          </Flex>
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t('inboundMail.field.status')}>
              <InboundMailStatusTag status={mail.status} />
            </Descriptions.Item>
            <Descriptions.Item label={t('inboundMail.field.from')}>{mail.from ? `${mail.fromName ? `${mail.fromName} ` : ''}<${mail.from}>` : t('inboundMail.noFrom')}</Descriptions.Item>
            <Descriptions.Item label={t('inboundMail.field.sender')}>{mail.senderName ?? t('inboundMail.noSender')}</Descriptions.Item>
            <Descriptions.Item label={t('inboundMail.field.to')}>{[...new Set([...mail.envelopeTo, ...mail.to])].join(', ') || t('common.empty')}</Descriptions.Item>
            <Descriptions.Item label={t('inboundMail.field.receivedAt')}>
              <DateTime value={mail.receivedAt} />
            </Descriptions.Item>
            <Descriptions.Item label={t('inboundMail.field.size')}>{formatBytes(mail.size)}</Descriptions.Item>
            <Descriptions.Item label={t('inboundMail.field.result')}>
              {mail.result ? (
                mail.result.path ? (
                  <Link to={mail.result.path} data-testid="inbound-mail-result">
                    {mail.result.label}
                  </Link>
                ) : (
                  <span data-testid="inbound-mail-result">{mail.result.label}</span>
                )
              ) : (
                t('common.empty')
              )}
              {mail.processedAt !== null && (
                <Typography.Text type="secondary" style={{ marginInlineStart: 8 }}>
                  <DateTime value={mail.processedAt} />
                </Typography.Text>
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('inboundMail.field.attachments')}>
              {mail.attachments.length ? mail.attachments.map((a, i) => <div key={i}>{`${a.filename || t('inboundMail.unnamed')} (${formatBytes(a.size)})`}</div>) : t('common.empty')}
            </Descriptions.Item>
          </Descriptions>
          <div>
            <Typography.Title level={5}>{t('inboundMail.field.text')}</Typography.Title>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', maxHeight: 400, overflow: 'auto', background: 'rgba(0,0,0,0.02)', padding: 12 }} data-testid="inbound-mail-text">
              {mail.text || t('common.empty')}
            </Typography.Paragraph>
            {mail.textTruncated && <Typography.Text type="secondary">{t('inboundMail.truncated')}</Typography.Text>}
          </div>
        </Flex>
      )}
    </Drawer>
  );
}
