import { useState } from 'react';
import { Button, Space, Tag, Typography, type TableColumnsType } from 'antd';
import { FileAddOutlined, PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { LIBRARY_PERMISSIONS } from '@yunwei/contracts/library';
import { LIBRARY_TEMPLATE_PERMISSIONS, type LibraryTemplateListItem } from '@yunwei/contracts/library-templates';
import { useAuth } from '../../../app/auth-context';
import { DateTime } from '../../../shared/components/date-time';
import { ListPage } from '../../../shared/components/list-page';
import { ConfirmButton } from '../../../shared/confirm-mutation';
import { useLocalName } from '../../../shared/local-name';
import { matchesText } from '../../../shared/url-filters';
import { useUrlFilters } from '../../../shared/use-url-filters';
import { useLibraryTypes } from '../api/use-library';
import { GenerateDialog } from './generate-dialog';
import { useDeleteTemplate, useLibraryTemplates } from './use-templates';

/** 文档模板: per document type, templates whose data placeholders are filled when a document is generated. */
export default function TemplatesPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const localName = useLocalName();
  const types = useLibraryTypes();
  const filters = useUrlFilters({ type: 'text', q: 'text' });
  const templates = useLibraryTemplates(filters.values.type || undefined);
  const remove = useDeleteTemplate();
  const [generating, setGenerating] = useState<string | null>(null);
  const manage = can(LIBRARY_TEMPLATE_PERMISSIONS.manage);
  const write = can(LIBRARY_PERMISSIONS.write);
  const rows = (templates.data ?? []).filter((x) => matchesText(filters.values.q, x.name, x.description, x.type.name));

  const columns: TableColumnsType<LibraryTemplateListItem> = [
    {
      title: t('libraryTemplates.field.name'),
      key: 'name',
      render: (_, x) => (
        <Space size={4}>
          {manage ? (
            <Link to={`/library/templates/${x.id}`} data-testid={`template-${x.name}`}>
              {x.name}
            </Link>
          ) : (
            <span data-testid={`template-${x.name}`}>{x.name}</span>
          )}
          {x.builtIn && <Tag>{t('library.types.builtIn')}</Tag>}
        </Space>
      ),
    },
    { title: t('library.field.type'), key: 'type', width: 170, render: (_, x) => x.type.name },
    { title: t('libraryTemplates.field.description'), dataIndex: 'description', key: 'description', render: (d: string) => <Typography.Text type="secondary">{d}</Typography.Text> },
    { title: t('libraryTemplates.field.period'), key: 'period', width: 100, render: (_, x) => t(`libraryTemplates.period.${x.defaultPeriod}`) },
    { title: t('libraryTemplates.field.placeholders'), key: 'placeholders', width: 100, render: (_, x) => x.placeholders.length },
    { title: t('common.updatedAt'), dataIndex: 'updatedAt', key: 'updatedAt', width: 170, render: (v: number) => <DateTime value={v} /> },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 190,
      render: (_, x) => (
        <Space size={0}>
          {write && (
            <Button type="link" size="small" icon={<FileAddOutlined />} onClick={() => setGenerating(x.id)} data-testid={`template-generate-${x.name}`}>
              {t('libraryTemplates.generate.button')}
            </Button>
          )}
          {manage && !x.builtIn && (
            <ConfirmButton label={t('common.delete')} title={t('libraryTemplates.deleteConfirm', { name: x.name })} okText={t('common.delete')} run={() => remove.mutateAsync(x.id)} success={t('common.deleted')} />
          )}
        </Space>
      ),
    },
  ];

  return (
    <ListPage<LibraryTemplateListItem, 'type' | 'q'>
      title={t('libraryTemplates.title')}
      description={t('libraryTemplates.description')}
      pageTestId="library-templates-page"
      primaryAction={manage ? { label: t('libraryTemplates.create'), icon: <PlusOutlined />, onClick: () => void navigate(`/library/templates/new${filters.values.type ? `?type=${filters.values.type}` : ''}`), testId: 'template-create' } : undefined}
      emptyDescription={t('libraryTemplates.empty')}
      filters={{
        state: filters,
        items: [
          { key: 'q', type: 'search', placeholder: t('libraryTemplates.search'), width: 240 },
          { key: 'type', type: 'select', placeholder: t('library.field.type'), width: 200, options: (types.data ?? []).map((x) => ({ value: x.code, label: localName(x.nameZh, x.nameEn) })) },
        ],
      }}
      rowKey="id"
      columns={columns}
      scroll={{ x: 1000 }}
      dataSource={rows}
      loading={templates.isLoading}
      pagination={false}
      cards={{ title: 'name', fields: ['type', 'period', 'placeholders', 'updatedAt'], actions: 'actions' }}
      data-testid="library-templates-table"
    >
      <GenerateDialog open={generating !== null} templateId={generating ?? undefined} onClose={() => setGenerating(null)} />
    </ListPage>
  );
}
