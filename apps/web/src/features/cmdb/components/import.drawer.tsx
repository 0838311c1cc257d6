import { useEffect, useState } from 'react';
import { Alert, Button, Drawer, Form, Progress, Select, Space, Steps, Typography, Upload } from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ImportReport } from '@yunwei/contracts/cmdb';
import { ApiError, downloadFile } from '../../../app/api-client';
import { useAuth } from '../../../app/auth-context';
import { localized } from '../../../app/i18n';
import { reportError } from '../../../app/query-client';
import { useLanguage } from '../../../app/use-language';
import { CMDB_KEY, useCiClasses } from '../api/use-cmdb';
import { uploadImport, type UploadPhase } from '../api/upload-import';
import { ImportReportView } from './import-report';

const MAX_BYTES = 10 * 1024 * 1024;

interface ImportDrawerProps {
  open: boolean;
  defaultClassId?: string;
  onClose: () => void;
  /** Show the class's CIs in the list after an import. */
  onShowImported: (classId: string) => void;
}

type State = { step: 'pick' } | { step: 'sending'; phase: UploadPhase; percent: number; filename: string } | { step: 'done'; report: ImportReport; filename: string } | { step: 'error'; message: string; filename: string };

/** Template download → upload of an XLSX/CSV with progress → the per-row report. */
export function ImportDrawer({ open, defaultClassId, onClose, onShowImported }: ImportDrawerProps) {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const { session } = useAuth();
  const queryClient = useQueryClient();
  const classes = useCiClasses();
  const [classId, setClassId] = useState<string | undefined>(defaultClassId);
  const [state, setState] = useState<State>({ step: 'pick' });
  const [downloading, setDownloading] = useState(false);

  useEffect(() => {
    if (open) {
      setState({ step: 'pick' });
      setClassId((current) => defaultClassId ?? current);
    }
  }, [open, defaultClassId]);

  const cls = classes.data?.find((c) => c.id === classId);
  const sending = state.step === 'sending';

  const template = () => {
    if (!classId) {
      return;
    }
    setDownloading(true);
    downloadFile('/api/cmdb/import-template', { classId }, `cmdb-template-${cls?.code ?? 'class'}.xlsx`)
      .catch(reportError)
      .finally(() => setDownloading(false));
  };

  const send = (file: File) => {
    if (!classId) {
      return;
    }
    if (file.size > MAX_BYTES) {
      setState({ step: 'error', message: t('cmdb.import.tooLarge', { mb: MAX_BYTES / 1024 / 1024 }), filename: file.name });
      return;
    }
    setState({ step: 'sending', phase: 'uploading', percent: 0, filename: file.name });
    uploadImport(file, classId, session?.csrfToken, (phase, percent) => setState({ step: 'sending', phase, percent, filename: file.name }))
      .then((report) => {
        setState({ step: 'done', report, filename: file.name });
        void queryClient.invalidateQueries({ queryKey: CMDB_KEY });
      })
      .catch((error: unknown) => setState({ step: 'error', message: error instanceof ApiError ? error.message : String(error), filename: file.name }));
  };

  const current = state.step === 'pick' ? (classId ? 1 : 0) : state.step === 'sending' ? 1 : 2;
  return (
    <Drawer open={open} title={t('cmdb.import.title')} size={760} onClose={sending ? undefined : onClose} closable={!sending} maskClosable={!sending} destroyOnHidden>
      <Space orientation="vertical" size={20} style={{ width: '100%' }} data-testid="import-drawer">
        <Steps
          size="small"
          current={current}
          items={[{ title: t('cmdb.import.stepClass') }, { title: t('cmdb.import.stepUpload') }, { title: t('cmdb.import.stepReport') }]}
        />
        <Form layout="vertical">
          <Form.Item label={t('cmdb.import.class')} required extra={t('cmdb.import.classHelp')} style={{ marginBottom: 12 }}>
            <Space.Compact block>
              <Select
                value={classId}
                onChange={(id: string) => {
                  setClassId(id);
                  setState({ step: 'pick' });
                }}
                disabled={sending}
                showSearch={{ optionFilterProp: 'label' }}
                placeholder={t('cmdb.ci.classPlaceholder')}
                options={(classes.data ?? []).map((c) => ({ value: c.id, label: localized(c.name, language) }))}
                style={{ flex: 1 }}
                data-testid="import-class"
              />
              <Button icon={<DownloadOutlined />} disabled={!classId} loading={downloading} onClick={template} data-testid="import-template">
                {t('cmdb.import.template')}
              </Button>
            </Space.Compact>
          </Form.Item>
        </Form>
        {classId && state.step !== 'sending' && (
          <Upload.Dragger
            accept=".xlsx,.csv"
            multiple={false}
            showUploadList={false}
            disabled={sending}
            beforeUpload={(file) => {
              send(file);
              return false;
            }}
            data-testid="import-upload"
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{t('cmdb.import.drop', { name: cls ? localized(cls.name, language) : '' })}</p>
            <p className="ant-upload-hint">{t('cmdb.import.dropHint')}</p>
          </Upload.Dragger>
        )}
        {state.step === 'sending' && (
          <div data-testid="import-progress">
            <Typography.Text>{state.phase === 'uploading' ? t('cmdb.import.uploading', { name: state.filename }) : t('cmdb.import.processing', { name: state.filename })}</Typography.Text>
            <Progress percent={state.percent} status="active" />
          </div>
        )}
        {state.step === 'error' && <Alert type="error" showIcon title={t('cmdb.import.failedFile', { name: state.filename })} description={state.message} data-testid="import-error" />}
        {state.step === 'done' && (
          <ImportReportView
            report={state.report}
            filename={state.filename}
            onShowImported={() => {
              if (classId) {
                onShowImported(classId);
              }
              onClose();
            }}
          />
        )}
      </Space>
    </Drawer>
  );
}
