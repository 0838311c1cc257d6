import { useState } from 'react';
import { Button, Space, Tag, Typography, type TableColumnsType } from 'antd';
import { PlayCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { InspectionScope, InspectionTemplate } from '@yunwei/contracts/inspections';
import { useAuth } from '../../../app/auth-context';
import { localized } from '../../../app/i18n';
import { useLanguage } from '../../../app/use-language';
import { useCiClasses } from '../../cmdb/api/use-cmdb';
import { ListPage } from '../../../shared/components/list-page';
import { ConfirmButton, runWithFeedback } from '../../../shared/confirm-mutation';
import { DateTime } from '../../../shared/components/date-time';
import { useSeededText } from '../../../shared/use-seeded-text';
import { useDeleteTemplate, useRunTemplate, useTemplates } from '../api/use-inspections';
import { TemplateFormDrawer } from '../components/template-form.drawer';

/** A scope as people read it: the class by its name in the current language, not its code. */
export function useScopeText() {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const classes = useCiClasses();
  const className = (code: string) => {
    const found = classes.data?.find((c) => c.code === code);
    return found ? localized(found.name, language) : code;
  };
  return (scope: InspectionScope) =>
    scope.kind === 'class'
      ? t('inspections.scope.classOf', { name: className(scope.classCode ?? '') })
      : scope.kind === 'business_system'
        ? t('inspections.scope.business_system')
        : t('inspections.scope.cisCount', { count: scope.ciIds?.length ?? 0 });
}

/** Inspection templates: the two built-in ones and the site's own; run one now. */
export default function TemplatesPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const canWrite = can('inspections.template.write');
  const navigate = useNavigate();
  const templates = useTemplates();
  const run = useRunTemplate();
  const remove = useDeleteTemplate();
  const scopeText = useScopeText();
  const seeded = useSeededText();
  const [editing, setEditing] = useState<InspectionTemplate | null | undefined>(undefined);

  const columns: TableColumnsType<InspectionTemplate> = [
    {
      title: t('inspections.field.name'),
      dataIndex: 'name',
      render: (name: string, tpl) => (
        <Space orientation="vertical" size={0}>
          <Space>
            <Typography.Text strong>{seeded(name)}</Typography.Text>
            {tpl.builtinKey && <Tag color="blue">{t('inspections.template.builtin')}</Tag>}
          </Space>
          <Typography.Text type="secondary">{seeded(tpl.description)}</Typography.Text>
        </Space>
      ),
    },
    { title: t('inspections.field.scope'), dataIndex: 'scope', width: 180, render: (s: InspectionScope) => scopeText(s) },
    { title: t('inspections.field.items'), dataIndex: 'items', width: 80, render: (items: unknown[]) => items.length },
    { title: t('inspections.field.version'), dataIndex: 'version', width: 100, render: (v: number) => `v${v}` },
    { title: t('common.updatedAt'), dataIndex: 'updatedAt', width: 170, render: (v: number) => <DateTime value={v} /> },
    {
      title: t('common.actions'),
      fixed: 'right',
      width: 230,
      render: (_: unknown, tpl) => (
        <Space size={0}>
          {can('inspections.record.run') && (
            <Button
              type="link"
              size="small"
              icon={<PlayCircleOutlined />}
              loading={run.isPending && run.variables === tpl.id}
              data-testid={`run-template-${tpl.builtinKey ?? tpl.id}`}
              onClick={() => void runWithFeedback({ run: () => run.mutateAsync(tpl.id), success: null, onDone: (record) => void navigate(`/inspections/records/${record.id}`) })}
            >
              {t('inspections.template.run')}
            </Button>
          )}
          {canWrite && (
            <Button type="link" size="small" onClick={() => setEditing(tpl)}>
              {t('common.edit')}
            </Button>
          )}
          {canWrite && !tpl.builtinKey && (
            <ConfirmButton
              label={t('common.delete')}
              title={t('inspections.template.deleteConfirm', { name: seeded(tpl.name) })}
              description={t('inspections.template.deleteHint')}
              okText={t('common.delete')}
              run={() => remove.mutateAsync(tpl.id)}
              success={t('common.deleted')}
            />
          )}
        </Space>
      ),
    },
  ];

  return (
    <ListPage<InspectionTemplate>
      title={t('nav.items.inspectionTemplates')}
      description={t('nav.descriptions.inspectionTemplates')}
      pageTestId="inspection-templates-page"
      primaryAction={canWrite ? { label: t('inspections.template.create'), icon: <PlusOutlined />, onClick: () => setEditing(null), testId: 'template-create' } : undefined}
      emptyDescription={t('inspections.template.empty')}
      rowKey="id"
      columns={columns}
      dataSource={templates.data ?? []}
      loading={templates.isLoading}
      pagination={false}
      // The name column (with the description) wraps in the room the others leave.
      scroll={{ x: 960 }}
    >
      <TemplateFormDrawer open={editing !== undefined} template={editing ?? null} onClose={() => setEditing(undefined)} />
    </ListPage>
  );
}
