import { useState } from 'react';
import dayjs, { type Dayjs } from 'dayjs';
import { Button, Card, DatePicker, Drawer, Empty, Flex, Form, Input, Segmented, Select, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { NOTICE_SEVERITIES, STATUS_PAGE_LIMITS, type NoticeCreate, type NoticeKind, type NoticeSeverity, type StatusNotice, type StatusPageSummary } from '@yunwei/contracts/status-pages';
import { ConfirmButton, runWithFeedback } from '../../../shared/confirm-mutation';
import { DateTime } from '../../../shared/components/date-time';
import { applyServerErrors } from '../../../shared/form-errors';
import { feedback } from '../../../shared/feedback';
import { useCreateNotice, useDeleteNotice, useStatusPage, useUpdateNotice } from '../api/use-status-pages';
import { SEVERITY_COLORS, STATE_COLORS } from '../status-meta';

interface NoticeValues {
  kind: NoticeKind;
  severity: NoticeSeverity;
  title: string;
  body?: string;
  startsAt?: Dayjs;
  endsAt?: Dayjs;
}

const PHASE_COLORS = { scheduled: 'blue', active: 'red', ended: 'default' } as const;

function NoticeItem({ pageId, notice }: { pageId: string; notice: StatusNotice }) {
  const { t } = useTranslation();
  const update = useUpdateNotice();
  const remove = useDeleteNotice();
  const color = notice.kind === 'maintenance' ? STATE_COLORS.maintenance : SEVERITY_COLORS[notice.severity];
  return (
    <Card size="small" style={{ borderLeft: `4px solid ${color}` }} data-testid="admin-notice">
      <Flex justify="space-between" align="flex-start" gap={8} wrap>
        <Space wrap size={6}>
          <Tag color={color}>{notice.kind === 'maintenance' ? t('statusPage.notice.kind.maintenance') : t(`statusPage.notice.severity.${notice.severity}`)}</Tag>
          <Typography.Text strong>{notice.title}</Typography.Text>
          <Tag color={PHASE_COLORS[notice.phase]}>{t(`statusPage.notice.phase.${notice.phase}`)}</Tag>
        </Space>
        <Space size={0}>
          {notice.phase !== 'ended' && (
            <Button
              type="link"
              size="small"
              loading={update.isPending}
              onClick={() => void runWithFeedback({ run: () => update.mutateAsync({ pageId, id: notice.id, body: { endsAt: Math.max(Date.now(), notice.startsAt + 1) } }), success: t('statusPage.notice.ended') })}
              data-testid="notice-end"
            >
              {notice.kind === 'incident' ? t('statusPage.notice.resolve') : t('statusPage.notice.finish')}
            </Button>
          )}
          <ConfirmButton
            label={t('common.delete')}
            title={t('statusPage.notice.deleteConfirm', { title: notice.title })}
            okText={t('common.delete')}
            run={() => remove.mutateAsync({ pageId, id: notice.id })}
            success={t('common.deleted')}
          />
        </Space>
      </Flex>
      {notice.body && <Typography.Paragraph style={{ margin: '6px 0', whiteSpace: 'pre-wrap' }}>{notice.body}</Typography.Paragraph>}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        <DateTime value={notice.startsAt} />
        {notice.endsAt !== null && (
          <>
            {' – '}
            <DateTime value={notice.endsAt} />
          </>
        )}
        {' · '}
        {t('statusPage.notice.by', { name: notice.createdBy })}
      </Typography.Text>
    </Card>
  );
}

/** The notices of a page: post an incident or a maintenance notice, end one, delete one. */
export function NoticesDrawer({ page, onClose }: { page: StatusPageSummary | null; onClose: () => void }) {
  const { t } = useTranslation();
  const detail = useStatusPage(page?.id ?? null);
  const create = useCreateNotice();
  const [form] = Form.useForm<NoticeValues>();
  const kind = Form.useWatch('kind', form) ?? 'incident';
  const [posting, setPosting] = useState(false);

  const post = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v || !page) {
      return;
    }
    const body: NoticeCreate = {
      kind: v.kind,
      severity: v.kind === 'maintenance' ? 'info' : v.severity,
      title: v.title.trim(),
      body: v.body?.trim() ?? '',
      ...(v.startsAt ? { startsAt: v.startsAt.valueOf() } : {}),
      ...(v.endsAt ? { endsAt: v.endsAt.valueOf() } : {}),
    };
    setPosting(true);
    try {
      await create.mutateAsync({ pageId: page.id, body });
      void feedback.current?.message.success(t('statusPage.notice.posted'));
      form.resetFields();
    } catch (error) {
      applyServerErrors(form, error);
    } finally {
      setPosting(false);
    }
  };

  const notices = detail.data?.notices ?? [];
  return (
    <Drawer open={page !== null} title={t('statusPage.notice.drawerTitle', { name: page?.title.zh })} size={640} onClose={onClose} data-testid="notices-drawer">
      <Card size="small" title={t('statusPage.notice.post')} style={{ marginBottom: 16 }}>
        <Form<NoticeValues> form={form} layout="vertical" name="notice-form" initialValues={{ kind: 'incident', severity: 'minor' }}>
          <Space wrap size="large" align="start">
            <Form.Item name="kind" label={t('statusPage.notice.kindLabel')}>
              <Segmented<NoticeKind> options={(['incident', 'maintenance'] as const).map((k) => ({ value: k, label: t(`statusPage.notice.kind.${k}`) }))} data-testid="notice-kind" />
            </Form.Item>
            {kind === 'incident' && (
              <Form.Item name="severity" label={t('statusPage.notice.severityLabel')} extra={t('statusPage.help.severity')}>
                <Select style={{ width: 160 }} options={NOTICE_SEVERITIES.map((s) => ({ value: s, label: t(`statusPage.notice.severity.${s}`) }))} data-testid="notice-severity" />
              </Form.Item>
            )}
          </Space>
          <Form.Item name="title" label={t('statusPage.notice.title')} rules={[{ required: true, whitespace: true, message: t('statusPage.validation.required') }, { max: 200 }]}>
            <Input data-testid="notice-title" />
          </Form.Item>
          <Form.Item name="body" label={t('statusPage.notice.body')} rules={[{ max: STATUS_PAGE_LIMITS.noticeBody }]}>
            <Input.TextArea rows={3} data-testid="notice-body" />
          </Form.Item>
          <Space wrap size="large" align="start">
            <Form.Item name="startsAt" label={t('statusPage.notice.startsAt')} extra={t('statusPage.help.startsAt')}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
            </Form.Item>
            <Form.Item name="endsAt" label={t('statusPage.notice.endsAt')} extra={t('statusPage.help.endsAt')}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" disabledDate={(d) => d.isBefore(dayjs().subtract(1, 'year'))} />
            </Form.Item>
          </Space>
          <Button type="primary" loading={posting} onClick={() => void post()} data-testid="notice-submit">
            {t('statusPage.notice.submit')}
          </Button>
        </Form>
      </Card>
      <Flex vertical gap={8}>
        {notices.length ? notices.map((n) => <NoticeItem key={n.id} pageId={page!.id} notice={n} />) : <Empty description={t('statusPage.notice.empty')} />}
      </Flex>
    </Drawer>
  );
}
