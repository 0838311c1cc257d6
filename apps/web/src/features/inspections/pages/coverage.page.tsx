import { useState } from 'react';
import { Button, Card, Progress, Space, Switch, Tag, Typography, type TableColumnsType } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { CoverageCi, CoverageRequirement } from '@yunwei/contracts/inspections';
import { downloadFile } from '../../../app/api-client';
import { ListTable, type EmptyState } from '../../../shared/components/list-page';
import { PageContainer } from '../../../shared/components/page-container';
import { formatDateTime } from '../../../shared/components/date-time';
import { useSeededText } from '../../../shared/use-seeded-text';
import { useCoverage } from '../api/use-inspections';

/** Coverage of the monitoring policy: every CI it applies to, required vs. present, and why not. */
export default function CoveragePage() {
  const { t } = useTranslation();
  const [uncoveredOnly, setUncoveredOnly] = useState(false);
  const coverage = useCoverage(uncoveredOnly);
  const seeded = useSeededText();
  const requirement = (r: CoverageRequirement) => {
    const what = r.kind === 'inspection' ? t('inspections.coverage.inspection', { name: seeded(r.label), days: r.required }) : `${r.label} ≤ ${r.required}s`;
    const when = r.lastSeen ? t('inspections.coverage.lastSeen', { at: formatDateTime(r.lastSeen) }) : '';
    return (
      <Tag key={`${r.kind}-${r.subject}`} color={r.met ? 'success' : 'error'} title={when}>
        {what}
        {r.reason && ` · ${t(`inspections.reason.${r.reason}`)}`}
      </Tag>
    );
  };
  const columns: TableColumnsType<CoverageCi> = [
    { title: t('inspections.field.ci'), dataIndex: 'ciName', render: (name: string, c) => <Link to={`/cmdb/cis/${c.ciId}`}>{name}</Link> },
    { title: t('inspections.field.classCode'), dataIndex: 'classCode', width: 120 },
    { title: t('nav.items.monitoringPolicy'), dataIndex: 'policyName', width: 180 },
    { title: t('inspections.field.responsibleRole'), dataIndex: 'responsibleRole', width: 120, render: (r: string | null) => (r ? t(`roleKind.${r}` as 'roleKind.operator') : t('common.empty')) },
    { title: t('inspections.coverage.covered'), dataIndex: 'covered', width: 100, render: (ok: boolean) => <Tag color={ok ? 'green' : 'red'}>{ok ? t('inspections.coverage.yes') : t('inspections.coverage.no')}</Tag> },
    { title: t('inspections.policy.requirements'), dataIndex: 'requirements', render: (rs: CoverageRequirement[]) => <Space size={4} wrap>{rs.map(requirement)}</Space> },
  ];
  const data = coverage.data;
  // Nothing to measure without a policy; a policy over no CI waits for the CMDB; else every CI shown is covered.
  const empty: EmptyState =
    data?.policies === 0
      ? { description: t('home.state.coverage.noPolicy'), action: <Link to="/inspections/policies">{t('home.state.coverage.definePolicy')}</Link> }
      : uncoveredOnly
        ? { description: t('home.state.coverage.none') }
        : { description: t('inspections.coverage.noCis'), action: <Link to="/cmdb/cis">{t('nav.items.cmdbCis')}</Link> };
  return (
    <PageContainer
      title={t('nav.items.monitoringCoverage')}
      description={t('nav.descriptions.monitoringCoverage')}
      testId="monitoring-coverage-page"
      extra={
        <Button icon={<DownloadOutlined />} onClick={() => void downloadFile('/api/inspections/coverage/export', { uncoveredOnly }, 'monitoring-coverage.xlsx')}>
          {t('inspections.export')}
        </Button>
      }
    >
      <Card variant="borderless">
        <Space size="large" align="center" style={{ marginBottom: 16 }} wrap>
          <Progress type="circle" size={72} percent={data && data.total ? Math.round((data.covered / data.total) * 100) : 0} status={data && data.covered < data.total ? 'exception' : 'success'} />
          <Typography.Text data-testid="coverage-summary">{data ? t('inspections.coverage.summary', { covered: data.covered, total: data.total, policies: data.policies }) : ''}</Typography.Text>
          <Space>
            <Switch checked={uncoveredOnly} onChange={setUncoveredOnly} />
            {t('inspections.coverage.uncoveredOnly')}
          </Space>
        </Space>
        <ListTable<CoverageCi> rowKey={(c) => `${c.policyId}:${c.ciId}`} columns={columns} dataSource={data?.cis ?? []} loading={coverage.isLoading} pagination={{ pageSize: 50 }} empty={empty} />
      </Card>
    </PageContainer>
  );
}
