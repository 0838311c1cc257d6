import { useState } from 'react';
import { Form, Input, Select, Tag, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PROBLEM_PERMISSIONS, PROBLEM_STATUSES, type Problem, type ProblemListItem, type ProblemStatus } from '@yunwei/contracts/incident-problems';
import { useAuth } from '../../../app/auth-context';
import { formatDateTime } from '../../../shared/components/date-time';
import { FormDrawer } from '../../../shared/components/form-drawer';
import { ListPage } from '../../../shared/components/list-page';
import { useUrlFilters } from '../../../shared/use-url-filters';
import { useIncidents } from '../api/use-incidents';
import { PROBLEM_STATUS_COLORS, useProblemNames } from './problem-names';
import { useCreateProblem, useProblems } from './use-problems';

interface CreateValues {
  title: string;
  description?: string;
  incidentIds: string[];
}

/** 问题管理: problems with their status, incidents and whether a workaround / permanent fix exists. */
export default function ProblemsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const names = useProblemNames();
  const filters = useUrlFilters({ status: PROBLEM_STATUSES, known: ['1'], q: 'text' });
  const v = filters.values;
  const problems = useProblems({ ...(v.status ? { status: v.status as ProblemStatus } : {}), ...(v.known ? { knownErrors: true } : {}), ...(v.q.trim() ? { q: v.q.trim() } : {}), limit: 200 });
  const [creating, setCreating] = useState(false);
  const [search, setSearch] = useState('');
  const incidents = useIncidents({ limit: 50, ...(search.trim() ? { q: search.trim() } : {}) });
  const create = useCreateProblem();

  const columns: TableColumnsType<ProblemListItem> = [
    { title: t('problems.field.number'), key: 'number', render: (_, x) => <Link to={`/incidents/problems/${x.id}`} data-testid={`problem-link-${x.number}`}>{x.number}</Link> },
    { title: t('problems.field.title'), dataIndex: 'title' },
    { title: t('problems.field.status'), key: 'status', render: (_, x) => <Tag color={PROBLEM_STATUS_COLORS[x.status]}>{names.status(x.status)}</Tag> },
    { title: t('problems.field.type'), key: 'type', render: (_, x) => x.typeName ?? '—' },
    { title: t('problems.field.incidents'), dataIndex: 'incidentCount', width: 90 },
    { title: t('problems.field.owner'), key: 'owner', render: (_, x) => x.ownerName ?? '—' },
    {
      title: t('problems.field.progress'),
      key: 'progress',
      render: (_, x) => (
        <>
          {x.hasWorkaround && <Tag color="orange">{t('problems.hasWorkaround')}</Tag>}
          {x.hasPermanentFix && <Tag color="green">{t('problems.hasPermanentFix')}</Tag>}
        </>
      ),
    },
    { title: t('problems.field.updatedAt'), key: 'updatedAt', render: (_, x) => formatDateTime(x.updatedAt) },
  ];

  return (
    <ListPage<ProblemListItem, 'status' | 'known' | 'q'>
      title={t('nav.items.problems')}
      description={t('nav.descriptions.problems')}
      pageTestId="problems-page"
      emptyDescription={t('problems.empty')}
      primaryAction={can(PROBLEM_PERMISSIONS.write) ? { label: t('problems.create'), icon: <PlusOutlined />, onClick: () => setCreating(true), testId: 'create-problem' } : undefined}
      filters={{
        state: filters,
        items: [
          { key: 'q', type: 'search', placeholder: t('problems.filter.search') },
          { key: 'status', type: 'select', placeholder: t('problems.field.status'), options: PROBLEM_STATUSES.map((s) => ({ value: s, label: names.status(s) })) },
          { key: 'known', type: 'select', placeholder: t('problems.filter.known'), options: [{ value: '1', label: t('problems.filter.knownOnly') }] },
        ],
      }}
      rowKey="id"
      columns={columns}
      dataSource={problems.data?.items ?? []}
      loading={problems.isLoading}
      data-testid="problems-table"
    >
      <FormDrawer<CreateValues, Problem>
        open={creating}
        name="problem-form"
        testId="problem-form"
        title={t('problems.create')}
        onSubmit={(values) => create.mutateAsync({ title: values.title, incidentIds: values.incidentIds, ...(values.description ? { description: values.description } : {}) })}
        onSaved={(p) => void navigate(`/incidents/problems/${p.id}`)}
        onClose={() => setCreating(false)}
      >
        <Form.Item name="title" label={t('problems.field.title')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="incidentIds" label={t('problems.field.fromIncidents')} rules={[{ required: true }]} extra={t('problems.fromIncidentsHelp')}>
          <Select
            mode="multiple"
            showSearch
            filterOption={false}
            onSearch={setSearch}
            loading={incidents.isFetching}
            options={(incidents.data?.items ?? []).map((i) => ({ value: i.id, label: `${i.number} ${i.title}` }))}
            data-testid="problem-incidents"
          />
        </Form.Item>
        <Form.Item name="description" label={t('problems.field.description')}>
          <Input.TextArea rows={4} />
        </Form.Item>
      </FormDrawer>
    </ListPage>
  );
}
