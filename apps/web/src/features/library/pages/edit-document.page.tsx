import { Button, Result } from 'antd';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { JSONContent } from '@tiptap/react';
import { PageContainer } from '../../../shared/components/page-container';
import { FullPageSpin } from '../../../shared/components/full-page-spin';
import { useLibraryDocument, useUpdateDocument } from '../api/use-library';
import { DocumentEditorForm } from '../components/document-editor-form';

/** 编辑草稿: the newest version while it is a draft (in review or approved it is locked). */
export default function EditDocumentPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const doc = useLibraryDocument(id);
  const update = useUpdateDocument(id);
  if (doc.isLoading) {
    return <FullPageSpin />;
  }
  if (!doc.data) {
    return <Result status="404" title={t('library.notFound')} />;
  }
  const d = doc.data;
  const draft = d.versions[0];
  if (!d.actions.edit || !draft) {
    return (
      <Result
        status="warning"
        title={t('library.locked', { label: d.latestVersion.label, status: t(`library.status.${d.latestVersion.status}`) })}
        extra={
          <Button type="primary" onClick={() => void navigate(`/library/documents/${d.id}`)}>
            {t('library.backToDocument')}
          </Button>
        }
      />
    );
  }
  return (
    <PageContainer title={t('library.editTitle', { number: d.number, label: draft.label })} description={d.title} testId="library-edit-page">
      <DocumentEditorForm
        pickType={false}
        initialValues={{ title: d.title, orgUnitId: d.orgUnit?.id ?? null, changeNote: draft.changeNote }}
        content={d.body as JSONContent}
        contentKey={`${draft.id}-${draft.updatedAt}`}
        extra={
          <Button onClick={() => void navigate(`/library/documents/${d.id}`)} data-testid="document-cancel">
            {t('common.cancel')}
          </Button>
        }
        onSave={async (values, body) => {
          await update.mutateAsync({
            title: values.title.trim(),
            orgUnitId: values.orgUnitId ?? null,
            changeNote: values.changeNote?.trim() ?? '',
            body,
            // A draft someone else saved meanwhile is refused (409) rather than overwritten.
            baseUpdatedAt: draft.updatedAt,
          });
          void navigate(`/library/documents/${d.id}`);
        }}
      />
    </PageContainer>
  );
}
