import { useState } from 'react';
import { Button, Card, Space, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { RUNBOOK_PERMISSIONS, type RunbookList, type RunbookVersionStatus } from '@yunwei/contracts/incident-runbooks';
import { useAuth } from '../../../app/auth-context';
import { DateTime } from '../../../shared/components/date-time';
import { PageContainer } from '../../../shared/components/page-container';
import { ResponsiveTable } from '../../../shared/components/responsive-table';
import { runWithFeedback } from '../../../shared/confirm-mutation';
import { RunbookEditorDrawer } from './runbook-editor.drawer';
import { useRunbook, useRunbooks, useSubmitRunbook } from './use-runbooks';

type Item = RunbookList['items'][number];
const STATUS_COLOR: Record<RunbookVersionStatus, string> = { draft: 'default', in_review: 'processing', published: 'green', superseded: 'default' };

/** 故障处理方案: the runbooks, their version in force and the one being written or reviewed; write, submit. */
export default function RunbooksPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const list = useRunbooks();
  const submit = useSubmitRunbook();
  const [editingId, setEditingId] = useState<string | null | undefined>(undefined);
  const editing = useRunbook(editingId ?? undefined);
  const canWrite = can(RUNBOOK_PERMISSIONS.write);
  const open = editingId === null || (editingId !== undefined && Boolean(editing.data));
  return (
    <PageContainer
      testId="runbooks-page"
      title={t('runbooks.title')}
      extra={
        canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditingId(null)} data-testid="runbook-create">
            {t('runbooks.create')}
          </Button>
        )
      }
    >
      <Card variant="borderless">
        <Typography.Paragraph type="secondary">{t('runbooks.intro')}</Typography.Paragraph>
        <ResponsiveTable<Item>
          rowKey="id"
          loading={list.isLoading}
          dataSource={list.data?.items ?? []}
          pagination={false}
          cards={{ title: 'name', badges: ['published'], fields: ['scope', 'next', 'updatedAt'] }}
          columns={[
            { key: 'name', title: t('runbooks.field.name'), render: (_, r) => (canWrite ? <a onClick={() => setEditingId(r.id)}>{r.name}</a> : r.name) },
            { key: 'scope', title: t('runbooks.scope'), render: (_, r) => [...r.typeNames, ...r.ciClassNames].map((n) => <Tag key={n}>{n}</Tag>) },
            { key: 'published', title: t('runbooks.published'), width: 110, render: (_, r) => (r.publishedLabel ? <Tag color="green">{r.publishedLabel}</Tag> : <Tag>{t('runbooks.unpublished')}</Tag>) },
            {
              key: 'next',
              title: t('runbooks.next'),
              render: (_, r) =>
                r.nextLabel && r.nextStatus ? (
                  <Space size={4}>
                    <Tag color={STATUS_COLOR[r.nextStatus]}>
                      {r.nextLabel} · {t(`runbooks.versionStatus.${r.nextStatus}`)}
                    </Tag>
                    {canWrite && r.nextStatus === 'draft' && (
                      <Button size="small" loading={submit.isPending && submit.variables?.id === r.id} onClick={() => void runWithFeedback({ run: () => submit.mutateAsync({ id: r.id }), success: t('runbooks.submitted') })} data-testid={`runbook-submit-${r.id}`}>
                        {t('runbooks.submit')}
                      </Button>
                    )}
                  </Space>
                ) : null,
            },
            { key: 'steps', title: t('runbooks.stepCount'), width: 80, dataIndex: 'stepCount' },
            { key: 'owner', title: t('runbooks.owner'), width: 120, render: (_, r) => r.owner ?? t('common.empty') },
            { key: 'updatedAt', title: t('runbooks.updatedAt'), width: 170, render: (_, r) => <DateTime value={r.updatedAt} /> },
          ]}
          data-testid="runbooks-table"
        />
      </Card>
      {open && <RunbookEditorDrawer open runbook={editingId ? (editing.data ?? null) : null} onClose={() => setEditingId(undefined)} />}
    </PageContainer>
  );
}
