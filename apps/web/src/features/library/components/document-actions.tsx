import { useState } from 'react';
import { Button, Form, Input, Radio } from 'antd';
import { CheckCircleOutlined, DiffOutlined, EditOutlined, RollbackOutlined, SendOutlined, StopOutlined, CopyOutlined, FileSyncOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { LIBRARY_LIMITS, type LibraryDocumentDetail } from '@yunwei/contracts/library';
import { FormModal } from '../../../shared/components/form-modal';
import { confirmAndRun } from '../../../shared/confirm-mutation';
import { nextLabels } from '../version-labels';
import { useNewVersion, usePublishDocument, useRetireDocument, useSubmitDocument, useWithdrawReview } from '../api/use-library';
import { GenerateDialog } from '../templates/generate-dialog';
import { useLibraryTemplates } from '../templates/use-templates';

type Step = 'submit' | 'publish' | 'retire' | 'newVersion';

interface StepValues {
  comment?: string;
  major?: boolean;
}

/**
 * What the reader may do with the document now (the server says which: `actions`): 编辑草稿, 提交审批,
 * 撤回 (the review, through the approval engine), 发布, 新版本 (minor / major), 从模板生成新版本 (when the
 * type has templates: this period's numbers), 废止, 版本对比. Each
 * change that takes a note asks for it in a short form; 撤回 asks to confirm.
 */
export function DocumentActions({ doc }: { doc: LibraryDocumentDetail }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [step, setStep] = useState<Step | null>(null);
  const [generating, setGenerating] = useState(false);
  const templates = useLibraryTemplates(doc.actions.newVersion ? doc.type.code : undefined);
  const hasTemplates = doc.actions.newVersion && (templates.data ?? []).some((x) => x.type.code === doc.type.code);
  const submit = useSubmitDocument(doc.id);
  const publish = usePublishDocument(doc.id);
  const retire = useRetireDocument(doc.id);
  const newVersion = useNewVersion(doc.id);
  const withdraw = useWithdrawReview();
  const latest = doc.versions[0];
  const labels = nextLabels(doc.latestVersion.label);
  const noFlow = doc.type.flowCode === null;

  const run = (values: StepValues) => {
    const comment = values.comment?.trim() || undefined;
    switch (step) {
      case 'submit':
        return submit.mutateAsync(comment);
      case 'publish':
        return publish.mutateAsync(comment);
      case 'retire':
        return retire.mutateAsync(comment);
      case 'newVersion':
      case null:
        return newVersion.mutateAsync({ major: values.major ?? false, changeNote: comment });
    }
  };
  const success: Record<Step, string> = {
    submit: noFlow ? t('library.action.submittedNoFlow') : t('library.action.submitted'),
    publish: t('library.action.published'),
    retire: t('library.action.retired'),
    newVersion: t('library.action.newVersionMade'),
  };

  return (
    <>
      {doc.actions.edit && (
        <Button icon={<EditOutlined />} onClick={() => void navigate(`/library/documents/${doc.id}/edit`)} data-testid="document-edit">
          {t('library.action.edit')}
        </Button>
      )}
      {doc.actions.submit && (
        <Button type="primary" icon={<SendOutlined />} onClick={() => setStep('submit')} data-testid="document-submit">
          {t('library.action.submit')}
        </Button>
      )}
      {doc.approvalRequestId && latest && doc.actions.withdraw && (
        <Button
          icon={<RollbackOutlined />}
          onClick={() =>
            confirmAndRun({
              title: t('library.action.withdrawConfirm', { label: latest.label }),
              description: t('library.action.withdrawHelp'),
              okText: t('library.action.withdraw'),
              run: () => withdraw.mutateAsync(doc.approvalRequestId ?? ''),
              success: t('library.action.withdrawn'),
            })
          }
          data-testid="document-withdraw"
        >
          {t('library.action.withdraw')}
        </Button>
      )}
      {doc.actions.publish && (
        <Button type="primary" icon={<CheckCircleOutlined />} onClick={() => setStep('publish')} data-testid="document-publish">
          {t('library.action.publish')}
        </Button>
      )}
      {doc.actions.newVersion && (
        <Button icon={<CopyOutlined />} onClick={() => setStep('newVersion')} data-testid="document-new-version">
          {t('library.action.newVersion')}
        </Button>
      )}
      {hasTemplates && (
        <Button icon={<FileSyncOutlined />} onClick={() => setGenerating(true)} data-testid="document-generate-version">
          {t('libraryTemplates.generate.versionAction')}
        </Button>
      )}
      {doc.versions.length > 1 && (
        <Button icon={<DiffOutlined />} onClick={() => void navigate(`/library/documents/${doc.id}/diff`)} data-testid="document-diff">
          {t('library.action.diff')}
        </Button>
      )}
      {doc.actions.retire && (
        <Button danger icon={<StopOutlined />} onClick={() => setStep('retire')} data-testid="document-retire">
          {t('library.action.retire')}
        </Button>
      )}
      {hasTemplates && <GenerateDialog open={generating} onClose={() => setGenerating(false)} target={{ id: doc.id, title: doc.title, typeCode: doc.type.code }} />}
      <FormModal<StepValues, unknown>
        open={step !== null}
        name="library-step"
        testId="library-step"
        title={step ? t(`library.action.${step}Title`, { label: doc.latestVersion.label, number: doc.number }) : ''}
        submitText={step ? t(`library.action.${step}`) : undefined}
        initialValues={{ major: false }}
        success={step ? success[step] : null}
        onSubmit={run}
        // A new version is a draft to write in: open it in the editor.
        onSaved={() => step === 'newVersion' && void navigate(`/library/documents/${doc.id}/edit`)}
        onClose={() => setStep(null)}
      >
        {step === 'submit' && <p>{noFlow ? t('library.action.submitNoFlowHelp') : t('library.action.submitHelp')}</p>}
        {step === 'publish' && <p>{t('library.action.publishHelp', { months: doc.type.reviewMonths })}</p>}
        {step === 'retire' && <p>{t('library.action.retireHelp')}</p>}
        {step === 'newVersion' && (
          <Form.Item name="major" label={t('library.action.versionKind')}>
            <Radio.Group
              options={[
                { value: false, label: t('library.action.minor', { label: labels.minor }) },
                { value: true, label: t('library.action.major', { label: labels.major }) },
              ]}
              data-testid="new-version-kind"
            />
          </Form.Item>
        )}
        <Form.Item
          name="comment"
          label={step === 'retire' ? t('library.action.reason') : step === 'newVersion' ? t('library.field.changeNote') : t('library.action.comment')}
          rules={[{ max: LIBRARY_LIMITS.changeNote, message: t('common.validation.maxLength', { max: LIBRARY_LIMITS.changeNote }) }]}
        >
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} data-testid="library-step-comment" />
        </Form.Item>
      </FormModal>
    </>
  );
}
