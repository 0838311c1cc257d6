import { Button, Card, Col, Empty, Flex, List, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { DashboardOutlined, FundOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { OverviewBusinessSystem, OverviewCi, OverviewProblem } from '@yunwei/contracts/dashboards';
import { DateTime } from '../../../shared/components/date-time';
import { useAuth } from '../../../app/auth-context';
import { ListTable } from '../../../shared/components/list-page';
import { PageContainer } from '../../../shared/components/page-container';
import { useOverview } from '../api/use-monitoring';
import { useNoDataEmpty } from '../components/no-data-empty';
import { StateTag } from '../components/state-tag';
import { formatValue } from '../format';

const PROBLEM_COLORS: Record<OverviewProblem['kind'], string> = { ci_down: 'red', check_down: 'volcano', fs_full: 'orange' };

function CiLink({ id, name }: { id: string | null; name: string | null }) {
  const { t } = useTranslation();
  if (!id) {
    return <Typography.Text type="secondary">{t('monitoring.overview.noCi')}</Typography.Text>;
  }
  return <Link to={`/monitoring/hosts/${id}`}>{name ?? id}</Link>;
}

function Problems({ problems }: { problems: OverviewProblem[] }) {
  const { t } = useTranslation();
  return (
    <Table<OverviewProblem>
      size="small"
      rowKey={(p) => `${p.kind}:${p.ciId}:${p.subject}`}
      dataSource={problems}
      pagination={problems.length > 10 ? { pageSize: 10 } : false}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('monitoring.overview.noProblems')} /> }}
      data-testid="overview-problems"
      columns={[
        { title: t('monitoring.overview.problem'), dataIndex: 'kind', width: 140, render: (k: OverviewProblem['kind']) => <Tag color={PROBLEM_COLORS[k]}>{t(`monitoring.problem.${k}`)}</Tag> },
        { title: t('monitoring.overview.ci'), render: (_, p) => <CiLink id={p.ciId} name={p.ciName} /> },
        {
          title: t('monitoring.overview.subject'),
          render: (_, p) =>
            p.kind === 'ci_down'
              ? p.subject
                  .split(',')
                  .map((r) => t(`monitoring.reason.${r as 'check_down' | 'agent_silent'}`))
                  .join('、')
              : p.subject,
        },
        { title: t('monitoring.overview.value'), width: 120, render: (_, p) => (p.kind === 'fs_full' ? formatValue(p.value, 'percent') : p.kind === 'ci_down' && p.value !== null ? formatValue(p.value / 1000, 'seconds') : '') },
        { title: t('monitoring.overview.at'), dataIndex: 'at', width: 180, render: (v: number | null) => <DateTime value={v} /> },
      ]}
    />
  );
}

function BusinessSystems({ systems }: { systems: OverviewBusinessSystem[] }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  if (systems.length === 0) {
    return (
      <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('monitoring.overview.noBusinessSystems')}>
        {can('cmdb.ci.read') && <Link to="/cmdb/cis">{t('monitoring.overview.toCmdb')}</Link>}
      </Empty>
    );
  }
  return (
    <List
      data-testid="overview-business-systems"
      grid={{ gutter: 12, xs: 1, sm: 2, lg: 3, xxl: 4 }}
      dataSource={systems}
      renderItem={(bs) => (
        <List.Item>
          <Card size="small" styles={{ body: { minHeight: 96 } }}>
            <Flex justify="space-between" align="center">
              <Link to={`/cmdb/cis/${bs.id}`}>
                <Typography.Text strong>{bs.name}</Typography.Text>
              </Link>
              <StateTag state={bs.health} />
            </Flex>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('monitoring.overview.dependencies', { count: bs.dependencies, monitored: bs.monitored })}
            </Typography.Text>
            {bs.down.length > 0 && (
              <div style={{ marginTop: 6 }}>
                {bs.down.map((d) => (
                  <Tag key={d.id} color="red">
                    <Link to={`/monitoring/hosts/${d.id}`}>{d.name}</Link>
                  </Tag>
                ))}
              </div>
            )}
          </Card>
        </List.Item>
      )}
    />
  );
}

export default function MonitoringOverviewPage() {
  const { t } = useTranslation();
  const { data, isFetching, refetch } = useOverview();
  const counts = data?.counts ?? { up: 0, down: 0, unknown: 0, total: 0 };
  const noData = useNoDataEmpty();
  return (
    <PageContainer
      title={t('nav.items.monitoringOverview')}
      description={t('monitoring.overview.description')}
      testId="monitoring-overview"
      extra={
        <>
          <Link to="/monitoring/utilisation">
            <Button icon={<FundOutlined />}>{t('nav.items.monitoringUtilisation')}</Button>
          </Link>
          <Link to="/monitoring/dashboards">
            <Button icon={<DashboardOutlined />}>{t('nav.items.monitoringDashboards')}</Button>
          </Link>
          <Button icon={<ReloadOutlined />} loading={isFetching} onClick={() => void refetch()}>
            {t('common.refresh')}
          </Button>
        </>
      }
    >
      <Row gutter={[16, 16]} data-testid="overview-counts">
        {(['up', 'down', 'unknown', 'total'] as const).map((k) => (
          <Col key={k} xs={12} md={6}>
            <Card variant="borderless">
              <Statistic
                title={t(`monitoring.count.${k}`)}
                value={counts[k]}
                loading={!data}
                styles={{ content: { color: k === 'up' ? '#389e0d' : k === 'down' && counts.down > 0 ? '#cf1322' : undefined } }}
              />
            </Card>
          </Col>
        ))}
      </Row>
      <Card variant="borderless" title={t('monitoring.overview.problems')}>
        <Problems problems={data?.problems ?? []} />
      </Card>
      <Card variant="borderless" title={t('monitoring.overview.businessSystems')}>
        <BusinessSystems systems={data?.businessSystems ?? []} />
      </Card>
      <Card variant="borderless" title={t('monitoring.overview.monitored')}>
        <ListTable<OverviewCi>
          size="small"
          rowKey="id"
          dataSource={data?.cis ?? []}
          loading={!data}
          data-testid="overview-cis"
          empty={noData}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={[
            { title: t('monitoring.overview.ci'), dataIndex: 'name', render: (_, c) => <CiLink id={c.id} name={c.name} /> },
            { title: t('monitoring.overview.state'), dataIndex: 'state', width: 100, render: (_, c) => <StateTag state={c.state} /> },
            {
              title: t('monitoring.overview.reasons'),
              render: (_, c) => (
                <Space size={4} wrap>
                  {c.reasons.map((r) => (
                    <Tag key={r}>{t(`monitoring.reason.${r}`)}</Tag>
                  ))}
                </Space>
              ),
            },
            { title: t('monitoring.overview.cpu'), dataIndex: 'cpu', width: 100, render: (v: number | null) => formatValue(v, 'percent') },
            { title: t('monitoring.overview.checks'), width: 150, render: (_, c) => (c.checksUp + c.checksDown ? `${c.checksUp} / ${c.checksUp + c.checksDown}` : t('common.empty')) },
            { title: t('monitoring.overview.agentLastSeen'), dataIndex: 'agentLastSeen', width: 180, render: (v: number | null) => <DateTime value={v} /> },
          ]}
        />
      </Card>
    </PageContainer>
  );
}
