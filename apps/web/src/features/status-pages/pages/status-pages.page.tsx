import { useState } from 'react';
import { Badge, Button, Drawer, Space, Tag, Typography, type TableColumnsType } from 'antd';
import { ExportOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { StatusPage, StatusPageSummary } from '@yunwei/contracts/status-pages';
import { useAuth } from '../../../app/auth-context';
import { localized } from '../../../app/i18n';
import { useLanguage } from '../../../app/use-language';
import { ListPage } from '../../../shared/components/list-page';
import { DateTime } from '../../../shared/components/date-time';
import { ConfirmButton, runWithFeedback } from '../../../shared/confirm-mutation';
import { api } from '../../../app/api-client';
import { useDeleteStatusPage, useStatusPagePreview, useStatusPages, useUpdateStatusPage } from '../api/use-status-pages';
import { NoticesDrawer } from '../components/notices.drawer';
import { StatusPageFormDrawer } from '../components/status-page-form.drawer';
import { StatusView } from '../components/status-view';

function PreviewDrawer({ page, onClose }: { page: StatusPageSummary | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const preview = useStatusPagePreview(page?.id ?? null);
  return (
    <Drawer open={page !== null} size={860} title={t('statusPage.previewTitle', { name: page ? localized(page.title, language) || page.title.zh : '' })} onClose={onClose} styles={{ body: { background: '#f5f6f8' } }} data-testid="status-preview">
      {preview.data && <StatusView page={preview.data} />}
    </Drawer>
  );
}

/** 状态页: the public status pages of business systems — create, choose components, publish, post notices. */
export default function StatusPagesPage() {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const { can } = useAuth();
  const canWrite = can('statuspage.page.write');
  const pages = useStatusPages();
  const update = useUpdateStatusPage();
  const remove = useDeleteStatusPage();
  const [editing, setEditing] = useState<StatusPage | null | undefined>(undefined);
  const [noticesOf, setNoticesOf] = useState<StatusPageSummary | null>(null);
  const [previewOf, setPreviewOf] = useState<StatusPageSummary | null>(null);

  const edit = (id: string) =>
    void runWithFeedback({ run: () => api.get<StatusPage>(`/api/status-pages/${id}`), success: null, onDone: (page) => setEditing(page) });

  const columns: TableColumnsType<StatusPageSummary> = [
    {
      title: t('statusPage.field.title'),
      key: 'title',
      render: (_, p) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong>{localized(p.title, language) || p.title.zh}</Typography.Text>
          {p.published ? (
            <Link to={`/status/${p.slug}`} target="_blank" data-testid={`status-page-link-${p.slug}`}>
              /status/{p.slug} <ExportOutlined />
            </Link>
          ) : (
            <Typography.Text type="secondary">/status/{p.slug}</Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: t('statusPage.field.businessSystem'),
      dataIndex: 'businessSystemName',
      render: (name: string | null, p) => (name ? <Link to={`/cmdb/cis/${p.businessSystemId}`}>{name}</Link> : <Typography.Text type="secondary">{t('statusPage.deletedBusinessSystem')}</Typography.Text>),
    },
    { title: t('statusPage.field.componentCount'), dataIndex: 'componentCount', width: 90, align: 'right' },
    {
      title: t('statusPage.field.notices'),
      dataIndex: 'activeNotices',
      width: 120,
      render: (n: number) => (n ? <Badge color="red" text={t('statusPage.activeNotices', { count: n })} /> : <Typography.Text type="secondary">{t('common.empty')}</Typography.Text>),
    },
    {
      title: t('statusPage.field.published'),
      dataIndex: 'published',
      width: 110,
      render: (published: boolean, p) => (
        <Tag color={published ? 'green' : 'default'} data-testid={`status-page-published-${p.slug}`}>
          {published ? t('statusPage.publishedTag') : t('statusPage.draftTag')}
        </Tag>
      ),
    },
    { title: t('common.updatedAt'), dataIndex: 'updatedAt', width: 170, render: (v: number) => <DateTime value={v} /> },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 300,
      render: (_, p) => (
        <Space size={0} wrap>
          <Button type="link" size="small" onClick={() => setPreviewOf(p)} data-testid={`status-page-preview-${p.slug}`}>
            {t('statusPage.preview')}
          </Button>
          {canWrite && (
            <Button type="link" size="small" onClick={() => setNoticesOf(p)} data-testid={`status-page-notices-${p.slug}`}>
              {t('statusPage.notices')}
            </Button>
          )}
          {canWrite && (
            <Button type="link" size="small" onClick={() => edit(p.id)} data-testid={`status-page-edit-${p.slug}`}>
              {t('common.edit')}
            </Button>
          )}
          {canWrite && (
            <ConfirmButton
              label={p.published ? t('statusPage.unpublish') : t('statusPage.publish')}
              title={p.published ? t('statusPage.unpublishConfirm', { slug: p.slug }) : t('statusPage.publishConfirm', { slug: p.slug })}
              okText={p.published ? t('statusPage.unpublish') : t('statusPage.publish')}
              danger={p.published}
              run={() => update.mutateAsync({ id: p.id, body: { published: !p.published } })}
              success={p.published ? t('statusPage.unpublished') : t('statusPage.published')}
              testId={`status-page-toggle-${p.slug}`}
            />
          )}
          {canWrite && (
            <ConfirmButton label={t('common.delete')} title={t('statusPage.deleteConfirm', { name: p.title.zh })} okText={t('common.delete')} run={() => remove.mutateAsync(p.id)} success={t('common.deleted')} />
          )}
        </Space>
      ),
    },
  ];

  return (
    <ListPage<StatusPageSummary>
      title={t('nav.items.statusPages')}
      description={t('nav.descriptions.statusPages')}
      pageTestId="status-pages-page"
      primaryAction={canWrite ? { label: t('statusPage.create'), emptyLabel: t('statusPage.createFirst'), icon: <PlusOutlined />, onClick: () => setEditing(null), testId: 'create-status-page' } : undefined}
      extra={
        <Button icon={<ReloadOutlined />} onClick={() => void pages.refetch()}>
          {t('common.refresh')}
        </Button>
      }
      emptyDescription={t('statusPage.empty')}
      rowKey="id"
      columns={columns}
      dataSource={pages.data?.items}
      loading={pages.isLoading}
      scroll={{ x: 1100 }}
      pagination={false}
      data-testid="status-pages-table"
    >
      <StatusPageFormDrawer open={editing !== undefined} page={editing ?? null} onClose={() => setEditing(undefined)} />
      <NoticesDrawer page={noticesOf} onClose={() => setNoticesOf(null)} />
      <PreviewDrawer page={previewOf} onClose={() => setPreviewOf(null)} />
    </ListPage>
  );
}
