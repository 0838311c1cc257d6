import { useMemo } from 'react';
import { Button, Descriptions, Drawer, Empty, Skeleton, Space, Table, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Check, CheckResult } from '@yunwei/contracts/checks';
import { useAuth } from '../../../app/auth-context';
import { Chart, type ChartOption } from '../../../shared/components/chart';
import { DateTime } from '../../../shared/components/date-time';
import { useCheckResults } from '../api/use-checks';
import { CheckAlertingSummary } from './check-alerting-summary';
import { useCheckMessage } from './check-message';
import { CheckStatusTag } from './check-status-tag';
import { HeartbeatBar } from './heartbeat-bar';
import { TlsDaysTag } from './tls-days-tag';
import { UptimeFigures } from './uptime-figures';
import { useRunNow } from './use-run-now';

/** Latency over time; DOWN results are red points on the axis (they have no latency). */
function latencyOption(results: readonly CheckResult[], range: [number, number], labels: { latency: string; down: string }): ChartOption {
  return {
    grid: { left: 48, right: 16, top: 24, bottom: 28 },
    tooltip: { trigger: 'axis' },
    legend: { top: 0, right: 0, data: [labels.latency, labels.down] },
    xAxis: { type: 'time', min: range[0], max: range[1] },
    yAxis: { type: 'value', name: 'ms', min: 0 },
    series: [
      { name: labels.latency, type: 'line', showSymbol: results.length < 60, data: results.map((r) => [r.at, r.latencyMs]), connectNulls: false, areaStyle: { opacity: 0.08 } },
      { name: labels.down, type: 'line', lineStyle: { opacity: 0 }, symbolSize: 6, itemStyle: { color: '#ff4d4f' }, data: results.filter((r) => r.status === 'down').map((r) => [r.at, 0]) },
    ],
  };
}

/** A check's result history: latest status, latency chart and the last results. */
const HOURS = 24;

export function CheckResultsDrawer({ check, onClose }: { check: Check | null; onClose: () => void }) {
  const { t } = useTranslation();
  const say = useCheckMessage();
  const results = useCheckResults(check?.id ?? null, HOURS);
  const items = useMemo(() => results.data ?? [], [results.data]);
  const option = useMemo(() => {
    // The window the history covers, up to when it was read.
    const end = results.dataUpdatedAt || Date.now();
    return latencyOption(items, [end - HOURS * 3_600_000, end], { latency: t('checks.field.latency'), down: t('checks.status.down') });
  }, [items, results.dataUpdatedAt, t]);
  const columns: TableColumnsType<CheckResult> = [
    { title: t('checks.field.lastCheckedAt'), dataIndex: 'at', width: 170, render: (v: number) => <DateTime value={v} /> },
    { title: t('checks.field.status'), dataIndex: 'status', width: 90, render: (s: CheckResult['status']) => <CheckStatusTag status={s} /> },
    { title: t('checks.field.latency'), dataIndex: 'latencyMs', width: 110, render: (v: number | null) => (v === null ? t('common.empty') : `${v.toFixed(1)} ms`) },
    { title: t('checks.field.message'), dataIndex: 'message', ellipsis: true, render: (_: unknown, r) => say(r) },
  ];
  return (
    <Drawer open={check !== null} title={check ? t('checks.resultsTitle', { name: check.name }) : ''} size={760} onClose={onClose} data-testid="check-results">
      {check && (
        <>
          <Descriptions size="small" column={2} style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t('checks.field.type')}>{t(`checks.type.${check.type}`)}</Descriptions.Item>
            <Descriptions.Item label={t('checks.field.target')}>
              <Typography.Text code>{check.target}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('checks.field.status')}>
              <CheckStatusTag status={check.status} enabled={check.enabled} />
            </Descriptions.Item>
            <Descriptions.Item label={t('checks.field.interval')}>{t('checks.everySeconds', { count: check.intervalSeconds })}</Descriptions.Item>
            <Descriptions.Item label={t('checks.field.heartbeat')} span={2}>
              <Space orientation="vertical" size={2}>
                <HeartbeatBar beats={check.heartbeat} />
                <Space size={8}>
                  <UptimeFigures uptime={check.uptime} />
                  <TlsDaysTag days={check.tlsDaysLeft} />
                </Space>
              </Space>
            </Descriptions.Item>
            {Object.entries(check.values)
              .filter(([k]) => k !== 'check_up')
              .slice(0, 12)
              .map(([k, v]) => (
                <Descriptions.Item key={k} label={<Typography.Text type="secondary">{k}</Typography.Text>}>
                  {Number.isInteger(v) ? v : v.toFixed(3)}
                </Descriptions.Item>
              ))}
          </Descriptions>
          <CheckAlertingSummary check={check} />
          {items.length ? (
            <>
              <Chart option={option} height={220} notMerge testId="check-latency-chart" containerProps={{ 'data-points': items.length }} />
              <Table<CheckResult>
                rowKey="at"
                size="small"
                columns={columns}
                dataSource={[...items].reverse()}
                pagination={{ pageSize: 10, hideOnSinglePage: true }}
                style={{ marginTop: 16 }}
              />
            </>
          ) : (
            <NoResults check={check} loading={results.isLoading} />
          )}
        </>
      )}
    </Drawer>
  );
}

/**
 * No result in the window yet: a check never probed is being probed now (or waits to be enabled); one
 * whose results are older has not been probed for a day. Either way 立即执行 gives one now.
 */
function NoResults({ check, loading }: { check: Check; loading: boolean }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { runNow, running } = useRunNow();
  if (loading) {
    return <Skeleton active paragraph={{ rows: 4 }} />;
  }
  const description = !check.enabled ? t('checks.noResultsDisabled') : check.lastCheckedAt === null ? t('checks.firstProbeRunning', { seconds: check.intervalSeconds }) : t('checks.noResults');
  return (
    <Empty description={description} data-testid="check-results-empty">
      {can('checks.check.run') && (
        <Button type="primary" loading={running(check.id)} onClick={() => void runNow(check)} data-testid="check-results-run">
          {t('checks.runNow')}
        </Button>
      )}
    </Empty>
  );
}
