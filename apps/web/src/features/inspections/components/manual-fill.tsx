import { useState } from 'react';
import { Button, Input, Radio, Space, Upload } from 'antd';
import { CameraOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { InspectionResult } from '@yunwei/contracts/inspections';
import { useAuth } from '../../../app/auth-context';
import { ApiError } from '../../../app/api-client';
import { showError } from '../../../shared/feedback';
import { uploadPhoto, useFillResult } from '../api/use-inspections';

/** The inspector's part of one item: ok / abnormal (manual items), a note, a photo. */
export function ManualFill({ recordId, result }: { recordId: string; result: InspectionResult }) {
  const { t } = useTranslation();
  const { session } = useAuth();
  const qc = useQueryClient();
  const fill = useFillResult(recordId);
  const [note, setNote] = useState(result.note);
  const [uploading, setUploading] = useState(false);
  const testId = `${result.ciName}-${result.itemKey}`;
  return (
    <Space orientation="vertical" size={4} style={{ width: '100%' }}>
      {result.kind === 'manual' && (
        <Radio.Group
          size="small"
          value={result.verdict === 'pending' ? undefined : result.verdict}
          onChange={(e) => fill.mutate({ resultId: result.id, body: { verdict: e.target.value as 'normal' | 'abnormal', note } })}
          data-testid={`fill-${testId}`}
        >
          <Radio.Button value="normal">{t('inspections.record.ok')}</Radio.Button>
          <Radio.Button value="abnormal">{t('inspections.verdict.abnormal')}</Radio.Button>
        </Radio.Group>
      )}
      <Space.Compact style={{ width: '100%' }}>
        <Input size="small" placeholder={t('inspections.field.note')} value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} data-testid={`note-${testId}`} />
        <Button size="small" disabled={note === result.note} loading={fill.isPending} onClick={() => fill.mutate({ resultId: result.id, body: { note } })}>
          {t('common.save')}
        </Button>
        <Upload
          accept="image/jpeg,image/png,image/webp"
          showUploadList={false}
          customRequest={({ file }) => {
            setUploading(true);
            uploadPhoto(recordId, result.id, file as File, session?.csrfToken)
              .then(() => qc.invalidateQueries({ queryKey: ['inspections', 'records', 'one', recordId] }))
              .catch((error: unknown) => showError(error instanceof ApiError ? error.message : String(error)))
              .finally(() => setUploading(false));
          }}
        >
          <Button size="small" icon={<CameraOutlined />} loading={uploading} aria-label={t('inspections.record.photo')} />
        </Upload>
      </Space.Compact>
    </Space>
  );
}
