import { lazy, Suspense, useRef, useState } from 'react';
import { App, Alert, Button, Card, Form, Input, Select, Skeleton, Space } from 'antd';
import { SaveOutlined } from '@ant-design/icons';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { JSONContent } from '@tiptap/react';
import { LIBRARY_TEMPLATE_LIMITS, LIBRARY_TEMPLATE_PERIODS, type LibraryTemplate, type LibraryTemplatePeriod } from '@yunwei/contracts/library-templates';
import { reportError } from '../../../app/query-client';
import { PageContainer } from '../../../shared/components/page-container';
import { applyServerErrors } from '../../../shared/form-errors';
import { useLocalName } from '../../../shared/local-name';
import { useScopeChoices } from '../../reports/api/use-reports';
import { useLibraryTypes } from '../api/use-library';
import { toBody } from '../components/document-editor-form';
import { useUnsavedGuard } from '../components/use-unsaved-guard';
import { useLibraryTemplate, useSaveTemplate } from './use-templates';

// Tiptap is fetched with the page that edits (as the documents' editor).
const TemplateEditor = lazy(() => import('./template-editor'));

interface TemplateValues {
  typeCode: string;
  name: string;
  description?: string;
  defaultPeriod: LibraryTemplatePeriod;
  defaultScope: string;
}

/** A template written (new) or changed: its type, name, default period and the body with 插入数据. */
export default function TemplateEditPage() {
  const { id } = useParams<{ id: string }>();
  const template = useLibraryTemplate(id);
  const { t } = useTranslation();
  if (id && !template.data) {
    return (
      <PageContainer title={t('libraryTemplates.editTitle')} testId="library-template-page">
        <Skeleton active />
      </PageContainer>
    );
  }
  return <TemplateForm key={id ?? 'new'} template={template.data} />;
}

function TemplateForm({ template }: { template: LibraryTemplate | undefined }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const localName = useLocalName();
  const types = useLibraryTypes();
  const choices = useScopeChoices();
  const save = useSaveTemplate();
  const [form] = Form.useForm<TemplateValues>();
  const body = useRef<JSONContent | null>((template?.body as JSONContent | undefined) ?? null);
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState(false);
  const [bodyError, setBodyError] = useState<string | null>(null);
  const guard = useUnsavedGuard(dirty);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) {
      return;
    }
    setSaving(true);
    setBodyError(null);
    try {
      guard.release();
      const common = { name: v.name.trim(), description: v.description?.trim() ?? '', defaultPeriod: v.defaultPeriod, defaultScope: v.defaultScope, body: toBody(body.current) };
      const saved = template ? await save.mutateAsync({ id: template.id, body: common }) : await save.mutateAsync({ body: { ...common, typeCode: v.typeCode } });
      setDirty(false);
      void message.success(t('common.saved'));
      void navigate(`/library/templates?type=${saved.type.code}`);
    } catch (error) {
      guard.hold();
      applyServerErrors(form, error);
      // The body is not a form field: its error (an unknown provider or field) shows above the editor.
      const fields = (error as { details?: { fields?: { field: string; message: string }[] } }).details?.fields ?? [];
      setBodyError(fields.find((f) => f.field.startsWith('body.body'))?.message ?? null);
      reportError(error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <PageContainer title={template ? t('libraryTemplates.editTitle') : t('libraryTemplates.newTitle')} description={t('libraryTemplates.editHelp')} testId="library-template-page">
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <Card variant="borderless">
          <Form<TemplateValues>
            form={form}
            layout="vertical"
            name="library-template"
            initialValues={template ? { typeCode: template.type.code, name: template.name, description: template.description, defaultPeriod: template.defaultPeriod, defaultScope: template.defaultScope } : { typeCode: search.get('type') ?? undefined, defaultPeriod: 'month', defaultScope: 'all' }}
            onValuesChange={() => setDirty(true)}
          >
            <Space wrap size={16} align="start" style={{ width: '100%' }}>
              <Form.Item name="typeCode" label={t('library.field.type')} rules={[{ required: true, message: t('library.form.typeRequired') }]} style={{ width: 240 }}>
                <Select disabled={Boolean(template)} showSearch={{ optionFilterProp: 'label' }} options={(types.data ?? []).map((x) => ({ value: x.code, label: localName(x.nameZh, x.nameEn) }))} data-testid="template-type" />
              </Form.Item>
              <Form.Item
                name="name"
                label={t('libraryTemplates.field.name')}
                rules={[{ required: true, whitespace: true, message: t('libraryTemplates.nameRequired') }, { max: LIBRARY_TEMPLATE_LIMITS.name, message: t('common.validation.maxLength', { max: LIBRARY_TEMPLATE_LIMITS.name }) }]}
                style={{ width: 320 }}
              >
                <Input data-testid="template-name" />
              </Form.Item>
              <Form.Item name="defaultPeriod" label={t('libraryTemplates.field.period')} style={{ width: 140 }}>
                <Select options={LIBRARY_TEMPLATE_PERIODS.map((p) => ({ value: p, label: t(`libraryTemplates.period.${p}`) }))} data-testid="template-period" />
              </Form.Item>
              <Form.Item name="defaultScope" label={t('libraryTemplates.field.scope')} style={{ width: 240 }}>
                <Select
                  showSearch={{ optionFilterProp: 'label' }}
                  loading={choices.isLoading}
                  options={[
                    { value: 'all', label: t('reports.scope.all') },
                    { label: t('reports.scope.businessSystems'), options: (choices.data?.businessSystems ?? []).map((b) => ({ value: `businessSystem:${b.id}`, label: b.name })) },
                    { label: t('reports.scope.classes'), options: (choices.data?.classes ?? []).map((c) => ({ value: `ciClass:${c.code}`, label: en ? c.name.en : c.name.zh })) },
                  ]}
                  data-testid="template-scope"
                />
              </Form.Item>
            </Space>
            <Form.Item name="description" label={t('libraryTemplates.field.description')} rules={[{ max: LIBRARY_TEMPLATE_LIMITS.description, message: t('common.validation.maxLength', { max: LIBRARY_TEMPLATE_LIMITS.description }) }]} style={{ marginBottom: 0 }}>
              <Input.TextArea autoSize={{ minRows: 1, maxRows: 3 }} data-testid="template-description" />
            </Form.Item>
          </Form>
        </Card>
        <Alert type="info" showIcon title={t('libraryTemplates.placeholderHelp')} />
        {bodyError && <Alert type="error" showIcon title={bodyError} data-testid="template-body-error" />}
        <Card
          variant="borderless"
          title={t('library.field.body')}
          extra={
            <Space>
              <Button onClick={() => void navigate(-1)}>{t('common.cancel')}</Button>
              <Button type="primary" icon={<SaveOutlined />} loading={saving} onClick={() => void submit()} data-testid="template-save">
                {t('common.save')}
              </Button>
            </Space>
          }
        >
          <Suspense fallback={<Skeleton active paragraph={{ rows: 6 }} />}>
            <TemplateEditor
              content={(template?.body as JSONContent | undefined) ?? null}
              onChange={(doc) => {
                if (body.current !== null && body.current !== doc) {
                  setDirty(true);
                }
                body.current = doc;
              }}
            />
          </Suspense>
        </Card>
      </Space>
    </PageContainer>
  );
}
