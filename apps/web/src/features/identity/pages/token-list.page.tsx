import { useState } from 'react';
import { Button, Card, Popconfirm, Popover, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ApiToken } from '@yunwei/contracts/identity';
import { useRevokeToken, useTokens, type CreatedToken } from '../api/use-tokens';
import { TokenCreateModal } from '../components/token-create.modal';
import { TokenSecretModal } from '../components/token-secret.modal';
import { PageContainer } from '../../../shared/components/page-container';
import { DateTime } from '../../../shared/components/date-time';
import { feedback } from '../../../shared/feedback';

type TokenState = 'active' | 'revoked' | 'expired';

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
      filters: (['active', 'expired', 'revoked'] as const).map((state) => ({ text: t(`token.state.${state}`), value: state })),
      onFilter: (value, token) => tokenState(token, now) === value,
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
          <Popconfirm
            title={t('token.revokeConfirmTitle')}
            description={t('token.revokeConfirm', { name: token.name })}
            okText={t('token.revoke')}
            cancelText={t('common.cancel')}
            okButtonProps={{ danger: true }}
            onConfirm={() =>
              revoke
                .mutateAsync(token.id)
                .then(() => void feedback.current?.message.success(t('token.revoked')))
                .catch(() => undefined)
            }
          >
            <Button type="link" size="small" danger>
              {t('token.revoke')}
            </Button>
          </Popconfirm>
        ),
    },
  ];

  return (
    <PageContainer
      title={t('nav.items.tokens')}
      description={t('token.description')}
      testId="token-list-page"
      extra={
        <>
          <Button icon={<ReloadOutlined />} onClick={() => void refetch()}>
            {t('common.refresh')}
          </Button>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('token.create')}
          </Button>
        </>
      }
    >
      <Card variant="borderless">
        <Table<ApiToken>
          rowKey="id"
          columns={columns}
          dataSource={tokens}
          loading={isFetching}
          scroll={{ x: 1100 }}
          locale={{ emptyText: t('token.empty') }}
          pagination={{ pageSize: 20, showTotal: (total) => t('common.total', { total }), hideOnSinglePage: true }}
        />
      </Card>
      <TokenCreateModal open={creating} onClose={() => setCreating(false)} onCreated={setCreated} />
      <TokenSecretModal created={created} onClose={() => setCreated(null)} />
    </PageContainer>
  );
}
