import { useEffect, useState } from 'react';
import { Button, Card, Space, Switch, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { RULE_KINDS, type Rule, type RuleListQuery } from '@yunwei/contracts/alerting';
import { useAuth } from '../../../app/auth-context';
import { ListTable } from '../../../shared/components/list-page';
import { PageContainer } from '../../../shared/components/page-container';
import { ConfirmButton } from '../../../shared/confirm-mutation';
import { writeFilters } from '../../../shared/url-filters';
import { useFilteredPage } from '../../../shared/use-filtered-page';
import { useUrlFilters } from '../../../shared/use-url-filters';
import { useLocalName } from '../../../shared/local-name';
import { useDeleteRule, useRule, useRules, useSaveRule } from '../api/use-alerting';
import { RuleFormDrawer } from '../components/rule-form.drawer';
import { RulePacksTab } from '../components/rule-packs-tab';
import { RuleStatsTab } from '../components/rule-stats-tab';

const PAGE_SIZE = 50;

/** A rule in one line: what it reads and when it fires. */
function ruleCondition(rule: Rule): string {
  const s = rule.spec;
  switch (s.kind) {
    case 'metric':
      return `${s.reducer}(${s.selector}, ${s.windowSeconds}s) ${s.op} ${[s.thresholds.warning, s.thresholds.critical].filter((v) => v !== undefined).join(' / ')}`;
    case 'check':
      return `${s.checkType ?? 'check'} down ×${s.consecutiveDown}`;
    case 'absent':
      return s.subject === 'agent' ? `agent silent ${rule.forSeconds}s` : `absent(${s.selector ?? ''}) ${rule.forSeconds}s`;
    case 'capacity':
      return `${s.selector} ${s.op} ${s.threshold} within ${Math.round(s.horizonSeconds / 86_400)}d`;
    case 'baseline':
      return `${s.selector} outside mean ± ${s.k}σ`;
  }
}

const TABS = ['rules', 'stats', 'packs'] as const;

/** Alert rules (list, create, change, enable), their statistics, and the default rule packs. */
export default function RulesPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const localName = useLocalName();
  const [params, setParams] = useSearchParams();
  const tab = TABS.find((x) => x === params.get('tab')) ?? 'rules';
  const filters = useUrlFilters({ q: 'text', kind: RULE_KINDS });
  const [page, setPage] = useFilteredPage(filters.values);
  const { q, kind } = filters.values;
  const [editing, setEditing] = useState<Rule | null | undefined>(undefined);
  const rules = useRules({ q: q.trim() || undefined, kind: (kind || undefined) as RuleListQuery['kind'], offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE });
  const save = useSaveRule();
  const remove = useDeleteRule();
  const canWrite = can('alerting.rule.write');
  // `?rule=<id>` (a link from a check's detail): the list shows that rule, and who may change it gets its form.
  const linked = useRule(params.get('rule'));
  useEffect(() => {
    if (!linked.data) {
      return;
    }
    setParams(
      (current) => {
        const next = writeFilters(current, { q: linked.data.name, kind: '' });
        next.delete('rule');
        next.delete('tab');
        return next;
      },
      { replace: true },
    );
    if (canWrite) {
      setEditing(linked.data);
    }
  }, [linked.data, canWrite, setParams]);

  const columns: TableColumnsType<Rule> = [
    {
      title: t('alerts.rule.name'),
      dataIndex: 'name',
      render: (name: string, r) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong>{localName(name, r.nameEn)}</Typography.Text>
          <Typography.Text type="secondary" code style={{ fontSize: 12, wordBreak: 'break-all' }}>
            {ruleCondition(r)}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t('alerts.rule.kind'), dataIndex: 'kind', width: 150, render: (k: Rule['kind']) => <Tag>{t(`alerts.kind.${k}`)}</Tag> },
    { title: t('alerts.rule.target'), dataIndex: 'target', width: 120, render: (target: Rule['target']) => t(`alerts.target.${target.kind}`) },
    { title: t('alerts.rule.openAlerts'), dataIndex: 'openAlerts', width: 100, align: 'right' },
    {
      title: t('alerts.rule.enabled'),
      dataIndex: 'enabled',
      width: 100,
      render: (enabled: boolean, r) => <Switch size="small" checked={enabled} disabled={!canWrite} onChange={(on) => save.mutate({ id: r.id, body: { enabled: on } })} />,
    },
    {
      title: t('common.actions'),
      fixed: 'right',
      key: 'actions',
      width: 140,
      render: (_, r) =>
        canWrite && (
          <Space size={0}>
            <Button type="link" size="small" onClick={() => setEditing(r)}>
              {t('common.edit')}
            </Button>
            <ConfirmButton label={t('common.delete')} title={t('alerts.rule.deleteConfirm', { name: localName(r.name, r.nameEn) })} okText={t('common.delete')} run={() => remove.mutateAsync(r.id)} success={t('common.deleted')} />
          </Space>
        ),
    },
  ];

  const list = (
    <ListTable<Rule, 'q' | 'kind'>
      filters={{
        state: filters,
        items: [
          { key: 'q', type: 'search', placeholder: t('alerts.rule.search') },
          { key: 'kind', type: 'select', placeholder: t('alerts.rule.kind'), options: RULE_KINDS.map((k) => ({ value: k, label: t(`alerts.kind.${k}`) })), width: 150 },
        ],
      }}
      empty={{
        description: t('alerts.rule.empty'),
        action: (
          <Space wrap>
            {canWrite && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid="create-rule-empty">
                {t('alerts.rule.create')}
              </Button>
            )}
            <Link to="?tab=packs" data-testid="rules-empty-packs">
              {t('alerts.rule.seePacks')}
            </Link>
          </Space>
        ),
      }}
      rowKey="id"
      columns={columns}
      // The name and its condition wrap in the room the other columns leave.
      scroll={{ x: 900 }}
      dataSource={rules.data?.items}
      loading={rules.isLoading}
      pagination={{ current: page, pageSize: PAGE_SIZE, total: rules.data?.total, showSizeChanger: false, hideOnSinglePage: true, onChange: setPage }}
      data-testid="rules-table"
      cards={{ title: 'name', badges: ['kind'], fields: ['target', 'openAlerts', 'enabled'], actions: 'actions' }}
    />
  );

  return (
    <PageContainer
      title={t('nav.items.alertRules')}
      description={t('nav.descriptions.alertRules')}
      testId="rules-page"
      extra={
        canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid="create-rule">
            {t('alerts.rule.create')}
          </Button>
        )
      }
    >
      <Card variant="borderless">
        <Tabs
          activeKey={tab}
          onChange={(key) => setParams(key === 'rules' ? {} : { tab: key }, { replace: true })}
          items={[
            { key: 'rules', label: t('alerts.tab.rules'), children: list },
            { key: 'stats', label: t('alerts.tab.stats'), children: <RuleStatsTab /> },
            { key: 'packs', label: t('alerts.tab.packs'), children: <RulePacksTab /> },
          ]}
        />
      </Card>
      <RuleFormDrawer open={editing !== undefined} rule={editing ?? null} onClose={() => setEditing(undefined)} />
    </PageContainer>
  );
}
