import { Button, Space, Table, Typography, type TableColumnsType } from 'antd';
import { EyeOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { LibraryVersionSummary } from '@yunwei/contracts/library';
import { DateTime } from '../../../shared/components/date-time';
import { LibraryStatusTag } from './library-tags';

/** A document's versions, newest first: state, who wrote and changed it, its review, and 查看 to show it. */
export function VersionTable({ versions, shown, onShow }: { versions: LibraryVersionSummary[]; shown: string | undefined; onShow: (id: string) => void }) {
  const { t } = useTranslation();
  const columns: TableColumnsType<LibraryVersionSummary> = [
    { title: t('library.field.version'), dataIndex: 'label', width: 80, render: (label: string, v) => (v.id === shown ? <Typography.Text strong>{label}</Typography.Text> : label) },
    { title: t('library.field.status'), dataIndex: 'status', width: 100, render: (s: LibraryVersionSummary['status'], v) => <LibraryStatusTag status={s} testId={`version-status-${v.label}`} /> },
    {
      title: t('library.field.changeNote'),
      dataIndex: 'changeNote',
      render: (note: string, v) => (
        <Space orientation="vertical" size={0}>
          <span>{note || <Typography.Text type="secondary">{t('common.empty')}</Typography.Text>}</span>
          {v.status === 'draft' && v.lastReviewOutcome && v.lastReviewOutcome !== 'approved' && <Typography.Text type="warning">{t(`library.review.${v.lastReviewOutcome}`)}</Typography.Text>}
        </Space>
      ),
    },
    { title: t('library.field.author'), key: 'author', width: 110, render: (_, v) => v.author.name },
    { title: t('library.field.updatedBy'), key: 'updatedBy', width: 110, render: (_, v) => v.updatedBy?.name ?? v.author.name },
    { title: t('common.updatedAt'), dataIndex: 'updatedAt', width: 170, render: (at: number) => <DateTime value={at} /> },
    { title: t('library.field.publishedAt'), dataIndex: 'publishedAt', width: 170, render: (at: number | null) => <DateTime value={at} /> },
    {
      title: t('library.field.approval'),
      dataIndex: 'approvalRequestId',
      width: 100,
      render: (requestId: string | null) => (requestId ? <Link to={`/approvals/requests/${requestId}`}>{t('library.field.approvalOpen')}</Link> : <Typography.Text type="secondary">{t('common.empty')}</Typography.Text>),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 80,
      render: (_, v) => (
        <Button type="link" size="small" icon={<EyeOutlined />} disabled={v.id === shown} onClick={() => onShow(v.id)} data-testid={`version-show-${v.label}`}>
          {t('common.view')}
        </Button>
      ),
    },
  ];
  return <Table<LibraryVersionSummary> rowKey="id" size="small" columns={columns} dataSource={versions} pagination={false} scroll={{ x: 1000 }} data-testid="version-table" />;
}
