import { useState } from 'react';
import { Select, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLocalName } from '../../../shared/local-name';
import { useRuleStats } from '../api/use-alerting';

/** Per rule over a period: how often it fired, mean time to acknowledge and to resolve. */
export function RuleStatsTab() {
  const { t } = useTranslation();
  const localName = useLocalName();
  const [days, setDays] = useState(30);
  const stats = useRuleStats(days);
  const minutes = (ms: number | null) => (ms === null ? t('common.empty') : t('alerts.stats.minutes', { value: (ms / 60_000).toFixed(1) }));
  return (
    <>
      <Select value={days} onChange={setDays} options={[1, 7, 30, 90].map((d) => ({ value: d, label: t('alerts.stats.lastDays', { days: d }) }))} style={{ width: 160, marginBottom: 16 }} />
      <Table
        rowKey="ruleId"
        loading={stats.isLoading}
        dataSource={stats.data?.items}
        pagination={false}
        locale={{ emptyText: t('alerts.stats.empty') }}
        columns={[
          { title: t('alerts.rule.name'), dataIndex: 'ruleName', render: (name: string, r) => localName(name, r.ruleNameEn) },
          { title: t('alerts.stats.fired'), dataIndex: 'fired', width: 120, align: 'right' },
          { title: t('alerts.stats.mtta'), dataIndex: 'mttaMs', width: 160, align: 'right', render: minutes },
          { title: t('alerts.stats.mttr'), dataIndex: 'mttrMs', width: 160, align: 'right', render: minutes },
        ]}
        data-testid="rule-stats"
      />
    </>
  );
}
