import { useState } from 'react';
import { Button, Card, Space, Tooltip, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { AGENT_STATUSES, type Agent, type EnrolmentToken, type EnrolmentTokenCreated } from '@yunwei/contracts/agents';
import { useAuth } from '../../../app/auth-context';
import { useAgents, useEnrolmentTokens, useRevokeAgent, useRevokeEnrolmentToken } from '../api/use-agents';
import { AgentStatusTag, TokenStateTag } from '../components/agent-status-tag';
import { EnrolmentTokenCreateModal } from '../components/enrolment-token-create.modal';
import { EnrolmentTokenSecretModal } from '../components/enrolment-token-secret.modal';
import { PageContainer } from '../../../shared/components/page-container';
import { DateTime } from '../../../shared/components/date-time';
import { ListTable } from '../../../shared/components/list-page';
import { ConfirmButton } from '../../../shared/confirm-mutation';
import { matchesText } from '../../../shared/url-filters';
import { useUrlFilters } from '../../../shared/use-url-filters';

/** Host agents and their one-time enrolment tokens. */
export default function AgentsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const agents = useAgents();
  const tokens = useEnrolmentTokens();
  const revokeAgent = useRevokeAgent();
  const revokeToken = useRevokeEnrolmentToken();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<EnrolmentTokenCreated | null>(null);
  const canRevokeAgents = can('agents.agent.write');
  const canWriteTokens = can('agents.token.write');
  const filters = useUrlFilters({ status: AGENT_STATUSES, q: 'text' });
  const { status, q } = filters.values;
  const agentRows = (agents.data ?? []).filter((agent) => (!status || agent.status === status) && matchesText(q, agent.hostname, agent.ip, agent.ciName));

  const agentColumns: TableColumnsType<Agent> = [
    {
      title: t('agents.field.hostname'),
      dataIndex: 'hostname',
      sorter: (a, b) => a.hostname.localeCompare(b.hostname),
      render: (hostname: string, agent) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong>{hostname}</Typography.Text>
          {agent.ip && <Typography.Text type="secondary">{agent.ip}</Typography.Text>}
        </Space>
      ),
    },
    {
      title: t('agents.field.ci'),
      dataIndex: 'ciId',
      render: (ciId: string | null, agent) =>
        ciId ? (
          <Link to={`/monitoring/hosts/${ciId}`} data-testid={`agent-ci-${agent.id}`}>
            {agent.ciName ?? ciId}
          </Link>
        ) : (
          <Typography.Text type="secondary">{t('common.empty')}</Typography.Text>
        ),
    },
    // Status right after what the agent is: in view however narrow the window.
    {
      title: t('agents.field.status'),
      dataIndex: 'status',
      width: 100,
      render: (_, agent) => (
        <Tooltip title={agent.status === 'offline' ? t('agents.offlineHint', { count: agent.intervalSeconds }) : undefined}>
          <span>
            <AgentStatusTag status={agent.status} />
          </span>
        </Tooltip>
      ),
    },
    {
      title: t('scopes.field.orgUnit'),
      dataIndex: 'orgUnitName',
      width: 140,
      ellipsis: true,
      render: (name: string | null) => name ?? <Typography.Text type="secondary">{t('scopes.noUnit')}</Typography.Text>,
    },
    { title: t('agents.field.os'), dataIndex: 'os', ellipsis: true, render: (os: string) => os || <Typography.Text type="secondary">{t('common.empty')}</Typography.Text> },
    { title: t('agents.field.version'), dataIndex: 'version', width: 100 },
    { title: t('agents.field.interval'), dataIndex: 'intervalSeconds', width: 100, render: (s: number) => t('agents.seconds', { count: s }) },
    { title: t('agents.field.lastContactAt'), dataIndex: 'lastContactAt', width: 170, render: (v: number | null) => <DateTime value={v} emptyText={t('agents.neverContacted')} /> },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 90,
      fixed: 'right',
      render: (_, agent) =>
        canRevokeAgents &&
        agent.status !== 'revoked' && (
          <ConfirmButton
            label={t('agents.revoke')}
            title={t('agents.revokeConfirmTitle')}
            description={t('agents.revokeConfirm', { hostname: agent.hostname })}
            okText={t('agents.revoke')}
            run={() => revokeAgent.mutateAsync(agent.id)}
            success={t('agents.revoked')}
          />
        ),
    },
  ];

  const tokenColumns: TableColumnsType<EnrolmentToken> = [
    { title: t('agents.token.field.name'), dataIndex: 'name', render: (name: string) => <Typography.Text strong>{name}</Typography.Text> },
    { title: t('agents.token.field.prefix'), dataIndex: 'prefix', width: 150, render: (prefix: string) => <Typography.Text code>{`${prefix}…`}</Typography.Text> },
    { title: t('agents.token.field.state'), dataIndex: 'state', width: 100, render: (_, token) => <TokenStateTag state={token.state} /> },
    { title: t('agents.token.field.expiresAt'), dataIndex: 'expiresAt', width: 170, render: (v: number) => <DateTime value={v} /> },
    { title: t('agents.token.field.usedAt'), dataIndex: 'usedAt', width: 170, render: (v: number | null) => <DateTime value={v} emptyText={t('agents.token.unused')} /> },
    {
      title: t('scopes.field.orgUnit'),
      dataIndex: 'orgUnitName',
      width: 140,
      ellipsis: true,
      render: (name: string | null) => name ?? <Typography.Text type="secondary">{t('scopes.noUnit')}</Typography.Text>,
    },
    { title: t('agents.token.field.createdBy'), dataIndex: 'createdBy', width: 120 },
    { title: t('common.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: number) => <DateTime value={v} /> },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 90,
      fixed: 'right',
      render: (_, token) =>
        canWriteTokens &&
        token.state === 'active' && (
          <ConfirmButton
            label={t('agents.token.revoke')}
            title={t('agents.token.revokeConfirmTitle')}
            description={t('agents.token.revokeConfirm', { name: token.name })}
            okText={t('agents.token.revoke')}
            run={() => revokeToken.mutateAsync(token.id)}
            success={t('agents.token.revoked')}
          />
        ),
    },
  ];

  return (
    <PageContainer
      title={t('nav.items.agents')}
      description={t('agents.description')}
      testId="agents-page"
      extra={
        <>
          <Button icon={<ReloadOutlined />} onClick={() => void Promise.all([agents.refetch(), tokens.refetch()])}>
            {t('common.refresh')}
          </Button>
          {canWriteTokens && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-enrolment-token">
              {t('agents.token.create')}
            </Button>
          )}
        </>
      }
    >
      <Card variant="borderless" title={t('agents.agentsTitle')}>
        <ListTable<Agent, 'status' | 'q'>
          rowKey="id"
          columns={agentColumns}
          dataSource={agentRows}
          loading={agents.isLoading}
          scroll={{ x: 1240 }}
          filters={{
            state: filters,
            items: [
              { key: 'q', type: 'search', placeholder: t('agents.filter.search') },
              { key: 'status', type: 'select', placeholder: t('agents.filter.status'), options: AGENT_STATUSES.map((s) => ({ value: s, label: t(`agents.status.${s}`) })) },
            ],
          }}
          empty={{
            description: t('agents.empty'),
            action: canWriteTokens && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-enrolment-token-empty">
                {t('agents.token.create')}
              </Button>
            ),
          }}
          pagination={{ pageSize: 20, showTotal: (total) => t('common.total', { total }), hideOnSinglePage: true }}
          data-testid="agents-table"
        />
      </Card>
      <Card variant="borderless" title={t('agents.token.title')}>
        <ListTable<EnrolmentToken>
          rowKey="id"
          columns={tokenColumns}
          dataSource={tokens.data}
          loading={tokens.isLoading}
          scroll={{ x: 1240 }}
          empty={{ description: t('agents.token.empty') }}
          pagination={{ pageSize: 10, showTotal: (total) => t('common.total', { total }), hideOnSinglePage: true }}
          data-testid="enrolment-tokens-table"
        />
      </Card>
      <EnrolmentTokenCreateModal open={creating} onClose={() => setCreating(false)} onCreated={setCreated} />
      <EnrolmentTokenSecretModal created={created} onClose={() => setCreated(null)} />
    </PageContainer>
  );
}
