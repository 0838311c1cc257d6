import { useRef, useState, type ReactNode } from 'react';
import { App, Button, Card, Form, Input, Select, Space, type FormInstance } from 'antd';
import { SaveOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { JSONContent } from '@tiptap/react';
import { LIBRARY_LIMITS, type LibraryBody } from '@yunwei/contracts/library';
import { reportError } from '../../../app/query-client';
import { applyServerErrors } from '../../../shared/form-errors';
import { useLocalName } from '../../../shared/local-name';
import { OrgUnitTreeSelect } from '../../org/components/org-unit-tree-select';
import { useLibraryTypes } from '../api/use-library';
import { LazyEditor } from './lazy-editor';
import { useUnsavedGuard } from './use-unsaved-guard';

export interface DocumentFormValues {
  typeCode?: string;
  title: string;
  orgUnitId?: string | null;
  changeNote?: string;
}

export interface DocumentEditorFormProps {
  /** A new document picks its type; a draft keeps it. */
  pickType: boolean;
  initialValues: Partial<DocumentFormValues>;
  /** The editor's starting content (JSON, or HTML from an import); a new `contentKey` loads another. */
  content: JSONContent | string | null;
  contentKey: string;
  /** Saves; resolves with where to go next (the document's page). */
  onSave: (values: DocumentFormValues, body: LibraryBody) => Promise<void>;
  /** Buttons beside 保存 (e.g. 导入 Word, 取消). */
  extra?: ReactNode;
  /** Between the fields and the editor (e.g. the import's warnings). */
  notice?: ReactNode;
  /** The page's own form when it fills fields itself (e.g. the title an import suggests). */
  form?: FormInstance<DocumentFormValues>;
}

/** Turns the editor's JSON into the body the API takes (a document node with its blocks). */
export function toBody(doc: JSONContent | null): LibraryBody {
  return { type: 'doc', content: (doc?.content ?? []) as unknown[] };
}

/**
 * A document's facts (type, title, unit, change note) and its body in the rich-text editor, with
 * 保存; leaving with unsaved changes asks first. The new-document and edit-draft pages share it.
 */
export function DocumentEditorForm({ pickType, initialValues, content, contentKey, onSave, extra, notice, form: pageForm }: DocumentEditorFormProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const localName = useLocalName();
  const types = useLibraryTypes();
  const [ownForm] = Form.useForm<DocumentFormValues>();
  const form = pageForm ?? ownForm;
  const body = useRef<JSONContent | null>(typeof content === 'object' ? content : null);
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState(false);
  const guard = useUnsavedGuard(dirty);

  const save = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) {
      return;
    }
    setSaving(true);
    try {
      guard.release();
      await onSave(values, toBody(body.current));
      setDirty(false);
      void message.success(t('common.saved'));
    } catch (error) {
      guard.hold();
      applyServerErrors(form, error);
      reportError(error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card variant="borderless">
        <Form<DocumentFormValues> form={form} name="library-document" layout="vertical" initialValues={initialValues} onValuesChange={() => setDirty(true)}>
          <Space wrap size={16} align="start" style={{ width: '100%' }}>
            {pickType && (
              <Form.Item name="typeCode" label={t('library.field.type')} rules={[{ required: true, message: t('library.form.typeRequired') }]} style={{ width: 240 }}>
                <Select
                  showSearch={{ optionFilterProp: 'label' }}
                  loading={types.isLoading}
                  options={(types.data ?? []).map((x) => ({ value: x.code, label: localName(x.nameZh, x.nameEn) }))}
                  placeholder={t('library.form.typePlaceholder')}
                  data-testid="document-type"
                />
              </Form.Item>
            )}
            <Form.Item
              name="title"
              label={t('library.field.title')}
              rules={[{ required: true, whitespace: true, message: t('library.form.titleRequired') }, { max: LIBRARY_LIMITS.title, message: t('common.validation.maxLength', { max: LIBRARY_LIMITS.title }) }]}
              style={{ width: 420, maxWidth: '100%' }}
            >
              <Input data-testid="document-title" />
            </Form.Item>
            <Form.Item name="orgUnitId" label={t('library.field.orgUnit')} tooltip={t('library.form.orgUnitHelp')} style={{ width: 260 }}>
              <OrgUnitTreeSelect />
            </Form.Item>
          </Space>
          <Form.Item name="changeNote" label={t('library.field.changeNote')} rules={[{ max: LIBRARY_LIMITS.changeNote, message: t('common.validation.maxLength', { max: LIBRARY_LIMITS.changeNote }) }]} style={{ marginBottom: 0 }}>
            <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} placeholder={t('library.form.changeNotePlaceholder')} data-testid="document-change-note" />
          </Form.Item>
        </Form>
      </Card>
      {notice}
      <Card
        variant="borderless"
        title={t('library.field.body')}
        extra={
          <Space wrap>
            {extra}
            <Button type="primary" icon={<SaveOutlined />} loading={saving} onClick={() => void save()} data-testid="document-save">
              {t('common.save')}
            </Button>
          </Space>
        }
      >
        <LazyEditor
          key={contentKey}
          content={content}
          testId="document-editor"
          onChange={(doc) => {
            body.current = doc;
            setDirty(true);
          }}
        />
      </Card>
    </Space>
  );
}
