import { useState } from 'react';
import { Button, Popover, Space, Tag, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ApiToken } from '@yunwei/contracts/identity';
import { useRevokeToken, useTokens, type CreatedToken } from '../api/use-tokens';
import { TokenCreateModal } from '../components/token-create.modal';
import { TokenSecretModal } from '../components/token-secret.modal';
import { ListPage } from '../../../shared/components/list-page';
import { DateTime } from '../../../shared/components/date-time';
import { ConfirmButton } from '../../../shared/confirm-mutation';
import { matchesText } from '../../../shared/url-filters';
import { useUrlFilters } from '../../../shared/use-url-filters';

const TOKEN_STATES = ['active', 'expired', 'revoked'] as const;
type TokenState = (typeof TOKEN_STATES)[number];

function tokenState(token: ApiToken, now: number): TokenState {
  if (token.revoked) {
    return 'revoked';
  }
  if (token.expiresAt !== null && token.expiresAt <= now) {
    return 'expired';
  }
  return 'active';
}

const STATE_COLORS: Record<TokenState, string> = { active: 'success', revoked: 'default', expired: 'warning' };

export default function TokenListPage() {
  const { t } = useTranslation();
  const { data: tokens, isFetching, refetch } = useTokens();
  const revoke = useRevokeToken();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [now] = useState(() => Date.now());
  const filters = useUrlFilters({ state: TOKEN_STATES, q: 'text' });
  const { state, q } = filters.values;
  const rows = (tokens ?? []).filter((token) => (!state || tokenState(token, now) === state) && matchesText(q, token.name, token.prefix));

  const columns: TableColumnsType<ApiToken> = [
    { title: t('token.field.name'), dataIndex: 'name', render: (name: string) => <Typography.Text strong>{name}</Typography.Text> },
    { title: t('token.field.prefix'), dataIndex: 'prefix', width: 150, render: (prefix: string) => <Typography.Text code>{`${prefix}…`}</Typography.Text> },
    {
      title: t('token.field.scopes'),
      dataIndex: 'scopes',
      width: 140,
      render: (scopes: string[]) => (
        <Popover
          title={t('token.field.scopes')}
          content={
            <Space orientation="vertical" size={2}>
              {scopes.map((scope) => (
                <Typography.Text key={scope} code>
                  {scope}
                </Typography.Text>
              ))}
            </Space>
          }
        >
          <Tag color="blue" style={{ cursor: 'help' }}>
            {t('token.scopeCount', { count: scopes.length })}
          </Tag>
        </Popover>
      ),
    },
    {
      title: t('token.field.state'),
      key: 'state',
      width: 100,
      render: (_, token) => {
        const state = tokenState(token, now);
        return <Tag color={STATE_COLORS[state]}>{t(`token.state.${state}`)}</Tag>;
      },
    },
    {
      title: t('token.field.expiresAt'),
      dataIndex: 'expiresAt',
      width: 170,
      render: (value: number | null) => <DateTime value={value} emptyText={t('token.neverExpires')} />,
    },
    {
      title: t('token.field.lastUsedAt'),
      dataIndex: 'lastUsedAt',
      width: 170,
      render: (value: number | null) => <DateTime value={value} emptyText={t('token.neverUsed')} />,
    },
    {
      title: t('common.createdAt'),
      dataIndex: 'createdAt',
      width: 170,
      sorter: (a, b) => a.createdAt - b.createdAt,
      defaultSortOrder: 'descend',
      render: (value: number) => <DateTime value={value} />,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 100,
      fixed: 'right',
      render: (_, token) =>
        tokenState(token, now) === 'active' && (
          <ConfirmButton
            label={t('token.revoke')}
            title={t('token.revokeConfirmTitle')}
            description={t('token.revokeConfirm', { name: token.name })}
            okText={t('token.revoke')}
            run={() => revoke.mutateAsync(token.id)}
            success={t('token.revoked')}
          />
        ),
    },
  ];

  return (
    <ListPage<ApiToken, 'state' | 'q'>
      title={t('nav.items.tokens')}
      description={t('token.description')}
      pageTestId="token-list-page"
      extra={
        <Button icon={<ReloadOutlined />} onClick={() => void refetch()}>
          {t('common.refresh')}
        </Button>
      }
      primaryAction={{ label: t('token.create'), emptyLabel: t('token.createFirst'), icon: <PlusOutlined />, onClick: () => setCreating(true) }}
      emptyDescription={t('token.empty')}
      filters={{
        state: filters,
        items: [
          { key: 'q', type: 'search', placeholder: t('token.filter.search') },
          { key: 'state', type: 'select', placeholder: t('token.filter.state'), options: TOKEN_STATES.map((state) => ({ value: state, label: t(`token.state.${state}`) })) },
        ],
      }}
      rowKey="id"
      columns={columns}
      dataSource={rows}
      loading={isFetching}
      scroll={{ x: 1100 }}
      pagination={{ pageSize: 20, showTotal: (total) => t('common.total', { total }), hideOnSinglePage: true }}
    >
      <TokenCreateModal open={creating} onClose={() => setCreating(false)} onCreated={setCreated} />
      <TokenSecretModal created={created} onClose={() => setCreated(null)} />
    </ListPage>
  );
}
