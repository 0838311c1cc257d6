import { useState } from 'react';
import { Form, Modal, Select, Typography, type ButtonProps } from 'antd';
import { useTranslation } from 'react-i18next';
import type { InboundMailDetail } from '@yunwei/contracts/inbound-mail';
import { runWithFeedback } from '../../../shared/confirm-mutation';
import { useInboundMailSenders, useProcessInboundMail } from '../api/use-inbound-mail';

/** 指定发件人并处理: pick the user the mail is from, then process it again as them. */
export function AssignSenderModal({ mail, onClose }: { mail: InboundMailDetail | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [userId, setUserId] = useState<string | undefined>(undefined);
  const senders = useInboundMailSenders(q, mail !== null);
  const process = useProcessInboundMail();
  const close = () => {
    setUserId(undefined);
    setQ('');
    onClose();
  };
  return (
    <Modal
      open={mail !== null}
      title={t('inboundMail.assign.title')}
      okText={t('inboundMail.assign.submit')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: !userId, loading: process.isPending, 'data-testid': 'inbound-mail-assign-submit' } as ButtonProps}
      onCancel={close}
      onOk={() =>
        mail && userId
          ? runWithFeedback({
              run: () => process.mutateAsync({ id: mail.id, body: { senderUserId: userId } }),
              success: (result) => t(`inboundMail.outcome.${result.status}`),
              onDone: close,
            })
          : undefined
      }
      destroyOnHidden
    >
      {mail && (
        <Typography.Paragraph type="secondary">{t('inboundMail.assign.hint', { from: mail.from ?? t('inboundMail.noFrom') })}</Typography.Paragraph>
      )}
      <Form layout="vertical">
        <Form.Item label={t('inboundMail.field.sender')} required>
          <Select
            showSearch={{ filterOption: false, onSearch: setQ }}
            value={userId}
            onChange={setUserId}
            loading={senders.isFetching}
            placeholder={t('inboundMail.assign.placeholder')}
            options={(senders.data ?? []).map((u) => ({ value: u.id, label: `${u.name}（${u.username}${u.email ? `，${u.email}` : ''}）` }))}
            data-testid="inbound-mail-assign-user"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
