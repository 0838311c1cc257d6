import { useState } from 'react';
import { Button, Space, Typography, type TableColumnsType } from 'antd';
import { FileAddOutlined, PlusOutlined, ProfileOutlined, SettingOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { LIBRARY_DOCUMENT_STATUSES, LIBRARY_PERMISSIONS, type LibraryDocumentListItem, type LibraryDocumentStatus } from '@yunwei/contracts/library';
import { useAuth } from '../../../app/auth-context';
import { ListPage } from '../../../shared/components/list-page';
import { DateTime } from '../../../shared/components/date-time';
import { useFilteredPage } from '../../../shared/use-filtered-page';
import { useUrlFilters } from '../../../shared/use-url-filters';
import { useLocalName } from '../../../shared/local-name';
import { useLibraryDocuments, useLibraryTypes } from '../api/use-library';
import { LibraryStatusTag, ReviewDue } from '../components/library-tags';
import { GenerateDialog } from '../templates/generate-dialog';

const PAGE_SIZE = 20;

/** 文档库: every document the reader may see, filtered by type, state and a search over titles and bodies. */
export default function DocumentsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const types = useLibraryTypes();
  const localName = useLocalName();
  // The type is any code (the server checks it): a link to a type not loaded yet still filters.
  const filters = useUrlFilters({ type: 'text', status: LIBRARY_DOCUMENT_STATUSES, q: 'text' });
  const [page, setPage] = useFilteredPage(filters.values);
  const { type, status, q } = filters.values;
  const documents = useLibraryDocuments({
    type: type || undefined,
    // useUrlFilters only lets through the values listed above.
    status: (status || undefined) as LibraryDocumentStatus | undefined,
    q: q.trim() || undefined,
    offset: (page - 1) * PAGE_SIZE,
    limit: PAGE_SIZE,
  });
  const canWrite = can(LIBRARY_PERMISSIONS.write);
  const [generating, setGenerating] = useState(false);

  const columns: TableColumnsType<LibraryDocumentListItem> = [
    { title: t('library.field.number'), dataIndex: 'number', key: 'number', width: 150, render: (n: string, d) => <Link to={`/library/documents/${d.id}`}>{n}</Link> },
    {
      title: t('library.field.title'),
      dataIndex: 'title',
      key: 'title',
      render: (title: string, d) => (
        <Link to={`/library/documents/${d.id}`} data-testid={`document-${d.number}`}>
          {title}
        </Link>
      ),
    },
    { title: t('library.field.type'), key: 'type', width: 150, render: (_, d) => d.type.name },
    { title: t('library.field.status'), dataIndex: 'status', key: 'status', width: 100, render: (s: LibraryDocumentListItem['status']) => <LibraryStatusTag status={s} /> },
    {
      title: t('library.field.currentVersion'),
      key: 'version',
      width: 130,
      render: (_, d) =>
        d.publishedVersion ? (
          d.publishedVersion.label
        ) : (
          <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
            {t('library.field.notPublished', { label: d.latestVersion.label })}
          </Typography.Text>
        ),
    },
    { title: t('library.field.owner'), key: 'owner', width: 110, render: (_, d) => d.owner.name },
    { title: t('common.updatedAt'), dataIndex: 'updatedAt', key: 'updatedAt', width: 170, render: (v: number) => <DateTime value={v} /> },
    { title: t('library.field.reviewDue'), key: 'reviewDue', width: 150, render: (_, d) => <ReviewDue at={d.reviewDueAt} overdue={d.reviewOverdue} /> },
  ];

  return (
    <ListPage<LibraryDocumentListItem, 'type' | 'status' | 'q'>
      title={t('nav.items.library')}
      description={t('nav.descriptions.library')}
      pageTestId="library-documents-page"
      extra={
        <Space wrap>
          {canWrite && (
            <Button icon={<FileAddOutlined />} onClick={() => setGenerating(true)} data-testid="library-from-template">
              {t('libraryTemplates.generate.fromTemplate')}
            </Button>
          )}
          <Button icon={<ProfileOutlined />} onClick={() => void navigate('/library/templates')} data-testid="library-templates">
            {t('libraryTemplates.title')}
          </Button>
          {can(LIBRARY_PERMISSIONS.typeManage) && (
            <Button icon={<SettingOutlined />} onClick={() => void navigate('/library/types')}>
              {t('nav.items.libraryTypes')}
            </Button>
          )}
        </Space>
      }
      primaryAction={canWrite ? { label: t('library.create'), emptyLabel: t('library.createFirst'), icon: <PlusOutlined />, onClick: () => void navigate('/library/documents/new'), testId: 'library-create' } : undefined}
      emptyDescription={t('library.empty')}
      filters={{
        state: filters,
        items: [
          { key: 'q', type: 'search', placeholder: t('library.filter.search'), width: 280 },
          { key: 'type', type: 'select', placeholder: t('library.field.type'), width: 200, options: (types.data ?? []).map((x) => ({ value: x.code, label: localName(x.nameZh, x.nameEn) })) },
          { key: 'status', type: 'select', placeholder: t('library.field.status'), width: 130, options: LIBRARY_DOCUMENT_STATUSES.map((s) => ({ value: s, label: t(`library.status.${s}`) })) },
        ],
      }}
      rowKey="id"
      columns={columns}
      scroll={{ x: 1100 }}
      dataSource={documents.data?.items ?? []}
      loading={documents.isLoading}
      pagination={{ current: page, pageSize: PAGE_SIZE, total: documents.data?.total ?? 0, onChange: setPage, showSizeChanger: false, showTotal: (total) => t('common.total', { total }) }}
      cards={{ title: 'title', badges: ['status'], fields: ['number', 'type', 'version', 'owner', 'updatedAt', 'reviewDue'], onOpen: (d) => void navigate(`/library/documents/${d.id}`) }}
      data-testid="library-documents-table"
    >
      <GenerateDialog open={generating} onClose={() => setGenerating(false)} />
    </ListPage>
  );
}
