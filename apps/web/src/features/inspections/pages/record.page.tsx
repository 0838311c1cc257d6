import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Image, Result, Space, Table, Typography, type TableColumnsType } from 'antd';
import { DownloadOutlined, EditOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { InspectionResult, InspectionVerify } from '@yunwei/contracts/inspections';
import { downloadFile } from '../../../app/api-client';
import { useAuth } from '../../../app/auth-context';
import { DocumentDownload } from '../../../shared/components/document-download';
import { PageContainer } from '../../../shared/components/page-container';
import { DateTime } from '../../../shared/components/date-time';
import { FullPageSpin } from '../../../shared/components/full-page-spin';
import { useSeededText } from '../../../shared/use-seeded-text';
import { useRecord, useVerifyRecord } from '../api/use-inspections';
import { ManualFill } from '../components/manual-fill';
import { SignModal } from '../components/sign.modal';
import { VerdictTag } from '../components/verdict-tag';
import { StatusTag, Totals } from './records.page';

const ROW_BACKGROUND: Partial<Record<InspectionResult['verdict'], string>> = { abnormal: '#fff1f0', no_data: '#fffbe6', pending: '#e6f4ff' };

/** One inspection record: every CI and item with value, limit and verdict; fill, sign, verify, export. */
export default function RecordPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { can } = useAuth();
  const record = useRecord(id);
  const verify = useVerifyRecord(id);
  const seeded = useSeededText();
  const [signing, setSigning] = useState(false);
  if (record.isLoading) {
    return <FullPageSpin />;
  }
  if (!record.data) {
    return <Result status="404" title={t('inspections.record.notFound')} />;
  }
  const r = record.data;
  const editable = r.status === 'open' && can('inspections.record.run');
  const columns: TableColumnsType<InspectionResult> = [
    { title: t('inspections.field.ci'), dataIndex: 'ciName', width: 140, onCell: (row, index) => ({ rowSpan: index !== undefined && index > 0 && r.results[index - 1]?.ciId === row.ciId ? 0 : r.results.filter((x) => x.ciId === row.ciId).length }) },
    { title: t('inspections.field.itemName'), dataIndex: 'itemName', width: 220, render: (name: string) => seeded(name) },
    { title: t('inspections.field.value'), dataIndex: 'value', width: 100, render: (v: number | null, row) => (v === null ? t('common.empty') : `${v}${row.unit ? ` ${row.unit}` : ''}`) },
    { title: t('inspections.field.limit'), dataIndex: 'limit', width: 110 },
    { title: t('inspections.field.verdict'), dataIndex: 'verdict', width: 130, render: (v: InspectionResult['verdict']) => <VerdictTag verdict={v} /> },
    { title: t('inspections.field.detail'), dataIndex: 'detail', width: 240, ellipsis: true, render: (d: string) => <Typography.Text type="secondary">{seeded(d)}</Typography.Text> },
    {
      title: t('inspections.field.note'),
      // Where a manual item is filled in: always in view, however wide the record.
      fixed: 'right',
      width: 320,
      render: (_: unknown, row) =>
        editable ? (
          <ManualFill recordId={r.id} result={row} />
        ) : (
          <Space>
            <span>{row.note}</span>
            {row.hasPhoto && <Image width={40} src={`/api/inspections/records/${r.id}/results/${row.id}/photo`} alt={t('inspections.record.photo')} />}
          </Space>
        ),
    },
  ];
  const showVerify = (v: InspectionVerify) => (
    <Alert type={v.valid && v.chainValid ? 'success' : 'error'} showIcon title={v.valid && v.chainValid ? t('inspections.record.intact') : t('inspections.record.tampered')} description={<Typography.Text code>{v.computedHash}</Typography.Text>} data-testid="verify-result" />
  );
  return (
    <PageContainer
      title={`${seeded(r.templateName)} · ${t('inspections.record.title')}`}
      testId="inspection-record-page"
      extra={
        <>
          <Button icon={<DownloadOutlined />} onClick={() => void downloadFile(`/api/inspections/records/${r.id}/export`, {}, 'inspection.xlsx')}>
            {t('inspections.export')}
          </Button>
          <DocumentDownload download={(format) => downloadFile(`/api/inspections/records/${r.id}/export.${format}`, {}, `inspection.${format}`)} testId="inspection-record-download" />
          {r.status === 'signed' && (
            <Button icon={<SafetyCertificateOutlined />} loading={verify.isPending} onClick={() => verify.mutate()} data-testid="verify">
              {t('inspections.record.verify')}
            </Button>
          )}
          {editable && (
            <Button type="primary" icon={<EditOutlined />} onClick={() => setSigning(true)} disabled={r.totals.pending > 0} data-testid="sign">
              {t('inspections.record.sign')}
            </Button>
          )}
        </>
      }
    >
      <Card variant="borderless">
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('inspections.field.status')}>
            <span data-testid="record-status">
              <StatusTag status={r.status} />
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('inspections.field.createdAt')}>
            <DateTime value={r.createdAt} />
          </Descriptions.Item>
          <Descriptions.Item label={t('inspections.field.schedule')}>{r.scheduleName ?? t('inspections.record.manual')}</Descriptions.Item>
          <Descriptions.Item label={t('inspections.field.startedBy')}>{r.startedByName}</Descriptions.Item>
          <Descriptions.Item label={t('inspections.field.template')}>{`${seeded(r.templateName)} v${r.templateVersion}`}</Descriptions.Item>
          <Descriptions.Item label={t('inspections.field.totals')}>
            <Totals totals={r.totals} />
          </Descriptions.Item>
          {r.status === 'signed' && (
            <>
              <Descriptions.Item label={t('inspections.field.signedBy')}>{r.signedByName}</Descriptions.Item>
              <Descriptions.Item label={t('inspections.field.signedAt')}>
                <DateTime value={r.signedAt} />
              </Descriptions.Item>
              <Descriptions.Item label={t('inspections.field.conclusion')}>{r.conclusion || t('common.empty')}</Descriptions.Item>
              <Descriptions.Item label="SHA-256" span={3}>
                <Typography.Text code copyable>
                  {r.hash}
                </Typography.Text>
              </Descriptions.Item>
            </>
          )}
        </Descriptions>
        {r.status === 'signed' && <Alert type="info" showIcon title={t('inspections.record.immutable')} style={{ marginTop: 12 }} data-testid="immutable-note" />}
        {verify.data && <div style={{ marginTop: 12 }}>{showVerify(verify.data)}</div>}
      </Card>
      <Card variant="borderless">
        <Table rowKey="id" size="small" bordered columns={columns} dataSource={r.results} pagination={false} onRow={(row) => ({ style: { background: ROW_BACKGROUND[row.verdict] }, 'data-testid': `result-${row.ciName}-${row.itemKey}` }) as object} />
      </Card>
      <SignModal recordId={r.id} open={signing} onClose={() => setSigning(false)} />
    </PageContainer>
  );
}
