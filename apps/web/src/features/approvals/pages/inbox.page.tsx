import { Card, Tabs, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { APPROVAL_BOXES, type ApprovalBox, type ApprovalRequestSummary } from '@yunwei/contracts/approvals';
import { DateTime } from '../../../shared/components/date-time';
import { ListTable } from '../../../shared/components/list-page';
import { PageContainer } from '../../../shared/components/page-container';
import { useLocalName } from '../../../shared/local-name';
import { useFilteredPage } from '../../../shared/use-filtered-page';
import { useNow } from '../../../shared/use-now';
import { useUrlFilters } from '../../../shared/use-url-filters';
import { useInbox } from '../api/use-approvals';
import { DueTime, RequestStatusTag } from '../components/approval-tags';

const PAGE_SIZE = 20;

/** 我的待办 / 我发起的 / 我已处理: one tab each, the tab in the URL (`?box=`), so a link opens the right one. */
export default function ApprovalInboxPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const localName = useLocalName();
  const now = useNow(60_000);
  // The tab is in the URL too, but it is not a filter: an empty box says what comes there, not 清除筛选.
  const tab = useUrlFilters({ box: APPROVAL_BOXES });
  const filters = useUrlFilters({ q: 'text' });
  const box: ApprovalBox = (tab.values.box || 'todo') as ApprovalBox;
  const [page, setPage] = useFilteredPage({ ...tab.values, ...filters.values });
  const inbox = useInbox(box, { offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE, q: filters.values.q.trim() || undefined });

  const open = (r: ApprovalRequestSummary) => `/approvals/requests/${r.id}`;
  const columns: TableColumnsType<ApprovalRequestSummary> = [
    {
      title: t('approvals.field.title'),
      dataIndex: 'title',
      key: 'title',
      render: (title: string, r) => (
        <Link to={open(r)} data-testid={`approval-row-${r.id}`}>
          {title}
        </Link>
      ),
    },
    { title: t('approvals.field.flow'), key: 'flow', width: 160, render: (_, r) => localName(r.flowName.zh, r.flowName.en) },
    {
      title: t('approvals.field.step'),
      key: 'step',
      width: 180,
      render: (_, r) => (r.status === 'pending' ? t('approvals.stepOf', { n: r.currentStep + 1, total: r.stepCount, name: r.currentStepName }) : <Typography.Text type="secondary">—</Typography.Text>),
    },
    { title: t('approvals.field.submitter'), key: 'submitter', width: 120, render: (_, r) => r.submitter.name },
    { title: t('approvals.field.status'), dataIndex: 'status', key: 'status', width: 100, render: (s: ApprovalRequestSummary['status']) => <RequestStatusTag status={s} /> },
    { title: t('approvals.field.due'), key: 'due', width: 190, render: (_, r) => <DueTime at={r.dueAt} open={r.status === 'pending'} now={now} /> },
    { title: t('approvals.field.submittedAt'), dataIndex: 'createdAt', key: 'createdAt', width: 170, render: (v: number) => <DateTime value={v} /> },
  ];

  const empty = {
    description: t(`approvals.empty.${box}`),
    action: box === 'todo' ? <Link to="/approvals?box=submitted">{t('approvals.toSubmitted')}</Link> : undefined,
  };

  return (
    <PageContainer title={t('nav.items.approvals')} description={t('approvals.description')} testId="approvals-page">
      <Card variant="borderless">
        <Tabs
          activeKey={box}
          onChange={(key) => tab.set({ box: key })}
          items={APPROVAL_BOXES.map((b) => ({ key: b, label: <span data-testid={`approvals-tab-${b}`}>{t(`approvals.box.${b}`)}</span> }))}
        />
        <ListTable<ApprovalRequestSummary, 'q'>
          filters={{ state: filters, items: [{ key: 'q', type: 'search', placeholder: t('approvals.filter.search'), width: 260 }] }}
          empty={empty}
          rowKey="id"
          columns={columns}
          scroll={{ x: 1000 }}
          dataSource={inbox.data?.items ?? []}
          loading={inbox.isLoading}
          pagination={{ current: page, pageSize: PAGE_SIZE, total: inbox.data?.total ?? 0, onChange: setPage, showSizeChanger: false, showTotal: (total) => t('common.total', { total }) }}
          cards={{ title: 'title', badges: ['status'], fields: ['flow', 'step', 'submitter', 'due', 'createdAt'], onOpen: (r) => void navigate(open(r)) }}
          data-testid="approvals-table"
        />
      </Card>
    </PageContainer>
  );
}
