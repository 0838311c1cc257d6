import { useEffect } from 'react';
import { Alert, Button, Card, DatePicker, Form, Input, Select, Space, Tag, Typography } from 'antd';
import { CloudUploadOutlined, DeleteOutlined, PlusOutlined, SaveOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { INCIDENT_ANALYSIS_LIMITS } from '@yunwei/contracts/incident-reports';
import type { Incident } from '@yunwei/contracts/incidents';
import { DocumentDownload } from '../../../shared/components/document-download';
import { runWithFeedback } from '../../../shared/confirm-mutation';
import { useIncidentOptions } from '../api/use-incidents';
import { downloadAnalysisReport, useFileIncidentAnalysis, useIncidentAnalysis, useSaveIncidentAnalysis } from './use-incident-documents';

interface Values {
  lessons: string;
  followUps: { text: string; ownerId?: string | null; dueAt?: Dayjs | null }[];
}

/**
 * 故障分析报告 on the incident page: the report as Word / PDF, filing it into the document library (submitted for
 * approval), and the parts people write — 经验教训 and 后续措施 (owner, due date) — which the report prints.
 */
export function AnalysisTab({ incident, canWrite }: { incident: Incident; canWrite: boolean }) {
  const { t } = useTranslation();
  const analysis = useIncidentAnalysis(incident.id);
  const save = useSaveIncidentAnalysis(incident.id);
  const file = useFileIncidentAnalysis(incident.id);
  const options = useIncidentOptions(canWrite);
  const [form] = Form.useForm<Values>();
  const data = analysis.data;

  useEffect(() => {
    if (data) {
      form.setFieldsValue({ lessons: data.lessons, followUps: data.followUps.map((f) => ({ text: f.text, ownerId: f.owner?.id ?? null, dueAt: f.dueAt === null ? null : dayjs(f.dueAt) })) });
    }
  }, [data, form]);

  const submit = (values: Values) =>
    runWithFeedback({
      run: () =>
        save.mutateAsync({
          version: data?.version ?? 0,
          lessons: values.lessons ?? '',
          followUps: (values.followUps ?? []).map((f) => ({ text: f.text, ownerId: f.ownerId ?? null, dueAt: f.dueAt ? f.dueAt.endOf('day').valueOf() : null })),
        }),
      success: t('common.saved'),
    });

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="incident-analysis">
      <Card
        variant="borderless"
        title={t('incidentDocs.analysis.title')}
        extra={
          <Space wrap>
            <DocumentDownload testId="incident-analysis-download" download={(format) => downloadAnalysisReport(incident.id, incident.number, format)} />
            {canWrite && (
              <Button
                icon={<CloudUploadOutlined />}
                loading={file.isPending}
                data-testid="incident-analysis-file"
                onClick={() => void runWithFeedback({ run: () => file.mutateAsync(), success: (r) => t('incidentDocs.filed', { number: r.number, version: r.versionLabel }) })}
              >
                {t('incidentDocs.fileToLibrary')}
              </Button>
            )}
          </Space>
        }
      >
        <Typography.Paragraph type="secondary">{t('incidentDocs.analysis.help')}</Typography.Paragraph>
        {data?.document && (
          <Alert
            type="info"
            showIcon
            data-testid="incident-analysis-document"
            title={
              <Space wrap>
                {t('incidentDocs.filedAs')}
                <Link to={`/library/documents/${data.document.id}`}>{data.document.number}</Link>
                <Tag>{t(`incidentDocs.documentStatus.${data.document.status}`, { defaultValue: data.document.status })}</Tag>
              </Space>
            }
          />
        )}
      </Card>
      <Card variant="borderless" title={t('incidentDocs.analysis.editTitle')} loading={analysis.isLoading}>
        <Form<Values> form={form} layout="vertical" onFinish={(v) => void submit(v)} disabled={!canWrite} name="incident-analysis-form">
          <Form.Item name="lessons" label={t('incidentDocs.analysis.lessons')}>
            <Input.TextArea rows={4} maxLength={INCIDENT_ANALYSIS_LIMITS.lessons} placeholder={t('incidentDocs.analysis.lessonsPlaceholder')} data-testid="incident-analysis-lessons" />
          </Form.Item>
          <Typography.Text strong>{t('incidentDocs.analysis.followUps')}</Typography.Text>
          <Form.List name="followUps">
            {(fields, { add, remove }) => (
              <div style={{ marginTop: 8 }}>
                {fields.map((field) => (
                  <Space key={field.key} align="start" wrap style={{ display: 'flex', marginBottom: 8 }}>
                    <Form.Item name={[field.name, 'text']} rules={[{ required: true, whitespace: true, message: t('incidentDocs.analysis.textRequired') }]} style={{ minWidth: 280, marginBottom: 0 }}>
                      <Input maxLength={INCIDENT_ANALYSIS_LIMITS.followUpText} placeholder={t('incidentDocs.analysis.action')} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'ownerId']} style={{ minWidth: 180, marginBottom: 0 }}>
                      <Select allowClear showSearch optionFilterProp="label" placeholder={t('incidentDocs.analysis.owner')} options={(options.data?.people ?? []).map((p) => ({ value: p.id, label: p.name }))} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'dueAt']} style={{ marginBottom: 0 }}>
                      <DatePicker placeholder={t('incidentDocs.analysis.due')} />
                    </Form.Item>
                    <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t('common.delete')} />
                  </Space>
                ))}
                {fields.length < INCIDENT_ANALYSIS_LIMITS.followUps && (
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ text: '', ownerId: null, dueAt: null })} data-testid="incident-analysis-add">
                    {t('incidentDocs.analysis.addFollowUp')}
                  </Button>
                )}
              </div>
            )}
          </Form.List>
          {canWrite && (
            <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={save.isPending} style={{ marginTop: 16 }} data-testid="incident-analysis-save">
              {t('common.save')}
            </Button>
          )}
        </Form>
      </Card>
    </Space>
  );
}
