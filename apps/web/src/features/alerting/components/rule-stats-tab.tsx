import { useState } from 'react';
import { Button, Flex, Select } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ListTable } from '../../../shared/components/list-page';
import { useLocalName } from '../../../shared/local-name';
import { useRuleStats } from '../api/use-alerting';

const PERIODS = [1, 7, 30, 90];
const LONGEST = PERIODS[PERIODS.length - 1]!;

/** Per rule over a period: how often it fired, mean time to acknowledge and to resolve. */
export function RuleStatsTab() {
  const { t } = useTranslation();
  const localName = useLocalName();
  const [days, setDays] = useState(30);
  const stats = useRuleStats(days);
  const minutes = (ms: number | null) => (ms === null ? t('common.empty') : t('alerts.stats.minutes', { value: (ms / 60_000).toFixed(1) }));
  return (
    <Flex vertical gap={16}>
      <Select value={days} onChange={setDays} options={PERIODS.map((d) => ({ value: d, label: t('alerts.stats.lastDays', { days: d }) }))} style={{ width: 160 }} />
      <ListTable
        rowKey="ruleId"
        loading={stats.isLoading}
        dataSource={stats.data?.items}
        pagination={false}
        empty={{
          description: t('alerts.stats.empty'),
          // A longer period may hold what this one does not; else the alert list is where firing shows first.
          action:
            days < LONGEST ? (
              <Button onClick={() => setDays(LONGEST)}>{t('alerts.stats.longest', { days: LONGEST })}</Button>
            ) : (
              <Link to="/alerts">{t('nav.items.alerts')}</Link>
            ),
        }}
        columns={[
          { title: t('alerts.rule.name'), dataIndex: 'ruleName', render: (name: string, r) => localName(name, r.ruleNameEn) },
          { title: t('alerts.stats.fired'), dataIndex: 'fired', width: 120, align: 'right' },
          { title: t('alerts.stats.mtta'), dataIndex: 'mttaMs', width: 160, align: 'right', render: minutes },
          { title: t('alerts.stats.mttr'), dataIndex: 'mttrMs', width: 160, align: 'right', render: minutes },
        ]}
        data-testid="rule-stats"
        cards={{ title: 'ruleName' }}
      />
    </Flex>
  );
}
