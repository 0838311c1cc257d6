import { useState } from 'react';
import { Button, Card, Input, Space, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { LatestSeries } from '@yunwei/contracts/monitoring';
import { formatDateTime } from '../../../shared/components/date-time';
import { ListTable } from '../../../shared/components/list-page';
import { PageContainer } from '../../../shared/components/page-container';
import { SeriesLabels } from '../../../shared/components/series-labels';
import { seriesSelector } from '../../../shared/selector-completion';
import { CreateRuleFromChart } from '../../alerting/components/create-rule-from-chart';
import { useLatestData } from '../api/use-latest';
import { AddToDashboard } from '../components/add-to-dashboard';
import { useNoDataEmpty } from '../components/no-data-empty';
import { SeriesChartDrawer } from '../components/series-chart.drawer';
import { ageParts, formatMetricValue } from '../metric-unit';
import { useNow } from '../../../shared/use-now';

const PAGE_SIZES = [20, 50, 100, 200];


function Age({ ts, now }: { ts: number | null; now: number }) {
  const { t } = useTranslation();
  if (ts === null) {
    return <Typography.Text type="secondary">{t('monitoring.latest.noSample')}</Typography.Text>;
  }
  const [unit, count] = ageParts(now - ts);
  // Older than 10 minutes: the source has probably stopped reporting.
  return (
    <Tooltip title={formatDateTime(ts)}>
      <Typography.Text type={now - ts > 600_000 ? 'warning' : undefined} style={{ whiteSpace: 'nowrap' }} data-testid="latest-age">
        {t(`monitoring.latest.age.${unit}`, { count })}
      </Typography.Text>
    </Tooltip>
  );
}

/**
 * 最新数据 (latest data, as in Zabbix): find series by metric name, label values or CI name — no selector
 * to type — see each one's newest value and how old it is; a click draws it; from a row, an alert rule
 * or a dashboard panel starts with its selector.
 */
export default function LatestPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const search = params.get('q') ?? '';
  const [page, setPage] = useState({ current: 1, size: 50 });
  const { data, isFetching, dataUpdatedAt } = useLatestData({ search, offset: (page.current - 1) * page.size, limit: page.size });
  const [open, setOpen] = useState<LatestSeries | null>(null);
  const now = useNow();
  const noData = useNoDataEmpty();
  // The search box is uncontrolled (it searches on Enter): a new key empties it when the search is cleared.
  const [searchBox, setSearchBox] = useState(0);
  const setSearch = (q: string) => {
    setPage((p) => ({ ...p, current: 1 }));
    setParams(q.trim() ? { q: q.trim() } : {}, { replace: true });
  };
  const clearSearch = () => {
    setSearch('');
    setSearchBox((k) => k + 1);
  };
  // Ages from the server's clock: the browser's may be off.
  const skew = data ? data.at - dataUpdatedAt : 0;

  return (
    <PageContainer title={t('nav.items.monitoringLatest')} description={t('nav.descriptions.monitoringLatest')} testId="latest-page">
      <Card variant="borderless">
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Input.Search
            key={searchBox}
            defaultValue={search}
            allowClear
            enterButton={t('common.search')}
            placeholder={t('monitoring.latest.searchPlaceholder')}
            onSearch={setSearch}
            style={{ maxWidth: 640 }}
            data-testid="latest-search"
          />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('monitoring.latest.searchHelp')}
          </Typography.Text>
        </Space>
      </Card>
      <Card variant="borderless">
        <ListTable<LatestSeries>
          size="small"
          rowKey="id"
          loading={isFetching && !data}
          dataSource={data?.items ?? []}
          data-testid="latest-table"
          // No series at all: where they come from. None matching the search: offer to clear it.
          empty={
            search
              ? {
                  description: t('common.noFilterMatch'),
                  action: (
                    <Button onClick={clearSearch} data-testid="latest-clear-search">
                      {t('common.clearFilters')}
                    </Button>
                  ),
                }
              : noData
          }
          // Labels wrap in the room left beside the value, its age and the actions (never pushing them out of view).
          scroll={{ x: 1000 }}
          onRow={(row) => ({ onClick: () => setOpen(row), style: { cursor: 'pointer' }, 'data-testid': `latest-row-${row.id}` }) as React.HTMLAttributes<HTMLElement>}
          pagination={{
            current: page.current,
            pageSize: page.size,
            total: data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: PAGE_SIZES,
            showTotal: (total) => t('monitoring.latest.total', { count: total }),
            onChange: (current, size) => setPage({ current: size === page.size ? current : 1, size }),
          }}
          columns={[
            {
              title: t('monitoring.latest.metric'),
              dataIndex: 'metric',
              render: (metric: string) => <Typography.Text style={{ fontFamily: 'monospace' }}>{metric}</Typography.Text>,
            },
            { title: t('monitoring.latest.labels'), render: (_, r) => <SeriesLabels labels={r.labels} ci={r.ci} /> },
            {
              title: t('monitoring.latest.value'),
              align: 'right',
              width: 140,
              render: (_, r) => (
                <Tooltip title={r.valueText}>
                  <Typography.Text strong style={{ whiteSpace: 'nowrap' }} data-testid="latest-value">
                    {r.valueText === null ? '—' : r.value === null ? r.valueText : formatMetricValue(r.metric, r.value)}
                  </Typography.Text>
                </Tooltip>
              ),
            },
            { title: t('monitoring.latest.age.title'), width: 120, render: (_, r) => <Age ts={r.ts} now={now + skew} /> },
            {
              title: t('common.actions'),
              fixed: 'right',
              width: 240,
              render: (_, r) => {
                const selector = seriesSelector(r.metric, r.labels);
                const title = r.ci?.name ? `${r.ci.name} ${r.metric}` : r.metric;
                return (
                  // Row clicks open the chart; clicks here (and in the drawers they open) must not.
                  <span onClick={(e) => e.stopPropagation()}>
                    <CreateRuleFromChart chartId={String(r.id)} selector={selector} title={title} />
                    <AddToDashboard selector={selector} metric={r.metric} title={title} rowId={r.id} />
                  </span>
                );
              },
            },
          ]}
        />
      </Card>
      <SeriesChartDrawer series={open} onClose={() => setOpen(null)} />
    </PageContainer>
  );
}
