import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Empty, Form, Input, Segmented, Select, Space, Spin, Tag, Typography } from 'antd';
import { FileTextOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { TabularFormat } from '@yunwei/contracts/documents';
import { REPORT_KINDS, type ReportKind, type ReportQuery } from '@yunwei/contracts/reports';
import { useAuth } from '../../../app/auth-context';
import { DocumentDownload } from '../../../shared/components/document-download';
import { PageContainer } from '../../../shared/components/page-container';
import { WrittenDocumentView } from '../../../shared/components/written-document';
import { downloadEditedReport, downloadReport, useReport, useScopeChoices } from '../api/use-reports';
import { PERIOD_PRESETS, presetPeriod, type PeriodPreset } from './period';

/**
 * 运行报告: the running-status report (系统运行状况报告) or the performance assessment (系统性能评估报告)
 * for a period and a scope picked by name; previewed as the document itself, downloaded as Word or PDF.
 */
export default function ReportsPage() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const [kind, setKind] = useState<ReportKind>('running-status');
  const [preset, setPreset] = useState<PeriodPreset>('lastMonth');
  const [range, setRange] = useState<[Dayjs, Dayjs] | null>(null);
  const [scope, setScope] = useState('all');
  const [asked, setAsked] = useState<{ kind: ReportKind; params: ReportQuery } | null>(null);
  const choices = useScopeChoices();
  const report = useReport(asked?.kind ?? kind, asked?.params ?? null);
  const { session } = useAuth();
  const { message } = App.useApp();
  // 结论与建议: the generated draft, which the author edits before downloading (one paragraph a line).
  const [draft, setDraft] = useState('');
  const generated = (report.data?.conclusions ?? []).join('\n');
  useEffect(() => setDraft(generated), [generated]);
  const edited = draft.trim() !== '' && draft !== generated;
  const download = async (format: TabularFormat) => {
    if (!asked) {
      return;
    }
    try {
      if (edited && session) {
        const conclusions = draft.split('\n').map((line) => line.trim()).filter(Boolean);
        await downloadEditedReport(asked.kind, { ...asked.params, conclusions }, format, session.csrfToken);
      } else {
        await downloadReport(asked.kind, asked.params, format);
      }
    } catch (error) {
      void message.error(error instanceof Error ? error.message : String(error));
      throw error;
    }
  };

  const period = preset === 'custom' ? (range ? { from: range[0].startOf('day').valueOf(), to: range[1].add(1, 'day').startOf('day').valueOf() } : null) : presetPeriod(preset);
  const params: ReportQuery | null = period ? { ...period, scope } : null;
  const scopeOptions = [
    { value: 'all', label: t('reports.scope.all') },
    { label: t('reports.scope.businessSystems'), options: (choices.data?.businessSystems ?? []).map((b) => ({ value: `businessSystem:${b.id}`, label: b.name })) },
    { label: t('reports.scope.classes'), options: (choices.data?.classes ?? []).map((c) => ({ value: `ciClass:${c.code}`, label: en ? c.name.en : c.name.zh })) },
  ];
  const missing = (report.data?.sections ?? []).filter((s) => !s.ok);

  return (
    <PageContainer title={t('nav.items.reports')} description={t('reports.description')} testId="reports-page">
      <Card variant="borderless">
        <Form layout="inline" style={{ rowGap: 12 }}>
          <Form.Item label={t('reports.kind.label')}>
            <Segmented<ReportKind> value={kind} onChange={setKind} options={REPORT_KINDS.map((k) => ({ value: k, label: t(`reports.kind.${k}`) }))} data-testid="reports-kind" />
          </Form.Item>
          <Form.Item label={t('reports.period.label')}>
            <Space wrap>
              <Select<PeriodPreset> value={preset} onChange={setPreset} style={{ width: 140 }} options={PERIOD_PRESETS.map((p) => ({ value: p, label: t(`reports.period.${p}`) }))} data-testid="reports-period" />
              {preset === 'custom' && <DatePicker.RangePicker value={range} onChange={(v) => setRange(v && v[0] && v[1] ? [v[0], v[1]] : null)} data-testid="reports-range" />}
            </Space>
          </Form.Item>
          <Form.Item label={t('reports.scope.label')}>
            <Select value={scope} onChange={setScope} style={{ width: 240 }} options={scopeOptions} showSearch={{ optionFilterProp: 'label' }} loading={choices.isLoading} data-testid="reports-scope" />
          </Form.Item>
          <Form.Item>
            <Button type="primary" icon={<FileTextOutlined />} disabled={!params} loading={report.isFetching} onClick={() => params && setAsked({ kind, params })} data-testid="reports-generate">
              {t('reports.generate')}
            </Button>
          </Form.Item>
        </Form>
      </Card>
      <Card
        variant="borderless"
        title={report.data ? report.data.document.title : t('reports.preview')}
        extra={asked && report.data ? <DocumentDownload download={download} testId="reports-download" primary excel /> : null}
      >
        {report.error && <Alert type="error" showIcon title={report.error.message} />}
        {report.isFetching ? (
          <div style={{ padding: 48, textAlign: 'center' }} data-testid="reports-progress">
            <Spin size="large" />
            <div style={{ marginTop: 12 }}>{t('reports.generating')}</div>
          </div>
        ) : report.data ? (
          <Space orientation="vertical" style={{ width: '100%' }}>
            {missing.length > 0 && <Alert type="warning" showIcon title={t('reports.missing', { sections: missing.map((s) => s.title).join(en ? ', ' : '、') })} description={missing.map((s) => `${s.title}: ${s.error ?? ''}`).join('\n')} />}
            <Space wrap>
              {report.data.sections.map((s) => (
                <Tag key={s.provider} color={s.ok ? 'green' : 'red'}>
                  {s.title}
                </Tag>
              ))}
            </Space>
            <Card size="small" title={t('reports.conclusions.title')} data-testid="reports-conclusions">
              <Typography.Paragraph type="secondary">{t('reports.conclusions.hint')}</Typography.Paragraph>
              <Input.TextArea value={draft} onChange={(e) => setDraft(e.target.value)} autoSize={{ minRows: 3, maxRows: 12 }} maxLength={20_000} data-testid="reports-conclusions-text" />
              {edited && (
                <Space style={{ marginTop: 8 }}>
                  <Tag color="blue">{t('reports.conclusions.edited')}</Tag>
                  <Button size="small" onClick={() => setDraft(generated)}>
                    {t('reports.conclusions.reset')}
                  </Button>
                </Space>
              )}
            </Card>
            <WrittenDocumentView doc={report.data.document} testId="reports-preview" />
          </Space>
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('reports.hint')} />
        )}
      </Card>
    </PageContainer>
  );
}
