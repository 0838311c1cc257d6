import { useState } from 'react';
import { Alert, Button, Form, Upload } from 'antd';
import { FileWordOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { DOCX_TYPE } from '@yunwei/contracts/documents';
import { LIBRARY_LIMITS } from '@yunwei/contracts/library';
import { useAuth } from '../../../app/auth-context';
import { reportError } from '../../../app/query-client';
import { PageContainer } from '../../../shared/components/page-container';
import { importDocx, useCreateDocument } from '../api/use-library';
import { DocumentEditorForm, type DocumentFormValues } from '../components/document-editor-form';

/** A new document: its type, title and unit, and the body written in the editor or imported from a .docx. */
export default function NewDocumentPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { session } = useAuth();
  const create = useCreateDocument();
  const [form] = Form.useForm<DocumentFormValues>();
  const [imported, setImported] = useState<{ key: string; html: string; warnings: string[]; name: string } | null>(null);
  const [importing, setImporting] = useState(false);

  const pick = async (file: File) => {
    if (file.size > LIBRARY_LIMITS.importBytes) {
      reportError(new Error(t('library.import.tooLarge', { mb: LIBRARY_LIMITS.importBytes / 1024 / 1024 })));
      return;
    }
    setImporting(true);
    try {
      const result = await importDocx(file, session?.csrfToken);
      setImported({ key: `${file.name}-${Date.now()}`, html: result.html, warnings: result.warnings, name: file.name });
      if (!form.getFieldValue('title') && result.suggestedTitle) {
        form.setFieldValue('title', result.suggestedTitle.slice(0, LIBRARY_LIMITS.title));
      }
    } catch (error) {
      reportError(error);
    } finally {
      setImporting(false);
    }
  };

  return (
    <PageContainer title={t('library.newTitle')} description={t('library.newDescription')} testId="library-new-page">
      <DocumentEditorForm
        pickType
        form={form}
        initialValues={{}}
        content={imported?.html ?? null}
        contentKey={imported?.key ?? 'blank'}
        notice={
          imported && (
            <Alert
              type={imported.warnings.length > 0 ? 'warning' : 'success'}
              showIcon
              closable
              title={t('library.import.done', { name: imported.name })}
              description={imported.warnings.length > 0 ? t('library.import.warnings', { count: imported.warnings.length, first: imported.warnings.slice(0, 3).join('；') }) : undefined}
              data-testid="import-result"
            />
          )
        }
        extra={
          <Upload
            accept={`.docx,${DOCX_TYPE}`}
            showUploadList={false}
            beforeUpload={(file) => {
              void pick(file);
              return Upload.LIST_IGNORE;
            }}
          >
            <Button icon={<FileWordOutlined />} loading={importing} data-testid="document-import">
              {t('library.import.button')}
            </Button>
          </Upload>
        }
        onSave={async (values, body) => {
          const created = await create.mutateAsync({
            typeCode: values.typeCode ?? '',
            title: values.title.trim(),
            // No unit picked: the server files it under the author's own unit.
            orgUnitId: values.orgUnitId ?? undefined,
            changeNote: values.changeNote?.trim() || undefined,
            body,
          });
          void navigate(`/library/documents/${created.id}`);
        }}
      />
    </PageContainer>
  );
}
