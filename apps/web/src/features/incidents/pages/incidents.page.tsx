import { useState } from 'react';
import { Checkbox, DatePicker, Select, Space, Tag, Tooltip, TreeSelect, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { INCIDENT_PERMISSIONS, INCIDENT_PRIORITIES, INCIDENT_SOURCES, INCIDENT_STATUSES, type IncidentListItem, type IncidentListQuery } from '@yunwei/contracts/incidents';
import { useAuth } from '../../../app/auth-context';
import { formatDateTime } from '../../../shared/components/date-time';
import { ListPage } from '../../../shared/components/list-page';
import { useFilteredPage } from '../../../shared/use-filtered-page';
import { useUrlFilters } from '../../../shared/use-url-filters';
import { useIncidentOptions, useIncidents } from '../api/use-incidents';
import { IncidentFormDrawer } from '../components/incident-form.drawer';
import { PriorityTag, SlaDue, StatusTag, useIncidentNames } from '../components/incident-tags';
import { listOf, typeTree } from '../incident-meta';

const PAGE_SIZE = 20;
const FILTERS = { status: 'text', all: ['1'], priority: 'text', type: 'text', nature: 'text', mine: ['1'], major: ['1'], source: INCIDENT_SOURCES, from: 'text', to: 'text', q: 'text' } as const;
type FilterKey = keyof typeof FILTERS;

/** 故障列表: filters in the URL (仅未关闭 on unless turned off), server-paged, SLA countdowns, 登记故障. */
export default function IncidentsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const navigate = useNavigate();
  const names = useIncidentNames();
  const filters = useUrlFilters(FILTERS);
  const [page, setPage] = useFilteredPage(filters.values);
  const [creating, setCreating] = useState<null | undefined>(undefined);
  const options = useIncidentOptions();
  const v = filters.values;
  const statuses = listOf(v.status, INCIDENT_STATUSES);
  const priorities = listOf(v.priority, INCIDENT_PRIORITIES);
  const epoch = (text: string) => (/^\d{1,15}$/.test(text) ? Number(text) : undefined);
  const query: IncidentListQuery = {
    ...(statuses.length ? { status: statuses } : v.all ? {} : { open: true }),
    ...(priorities.length ? { priority: priorities } : {}),
    ...(v.type ? { typeId: v.type } : {}),
    ...(v.nature ? { natureId: v.nature } : {}),
    ...(v.mine ? { mine: true } : {}),
    ...(v.major ? { major: true } : {}),
    ...(v.source ? { source: v.source as IncidentListQuery['source'] } : {}),
    ...(epoch(v.from) !== undefined ? { from: epoch(v.from) } : {}),
    ...(epoch(v.to) !== undefined ? { to: epoch(v.to) } : {}),
    ...(v.q.trim() ? { q: v.q.trim() } : {}),
    offset: (page - 1) * PAGE_SIZE,
    limit: PAGE_SIZE,
  };
  const incidents = useIncidents(query);

  const columns: TableColumnsType<IncidentListItem> = [
    {
      title: t('incidents.field.number'),
      key: 'number',
      render: (_, x) => (
        <Link to={`/incidents/${x.id}`} data-testid={`incident-link-${x.number}`} style={{ whiteSpace: 'nowrap' }}>
          {x.number}
        </Link>
      ),
    },
    {
      title: t('incidents.field.title'),
      key: 'title',
      render: (_, x) => (
        <Space size={4} wrap>
          <Typography.Text strong>{x.title}</Typography.Text>
          {x.major && <Tag color="red">{t('incidents.major')}</Tag>}
        </Space>
      ),
    },
    { title: t('incidents.field.priority'), key: 'priority', width: 80, render: (_, x) => <PriorityTag priority={x.priority} /> },
    { title: t('incidents.field.status'), key: 'status', width: 90, render: (_, x) => <StatusTag status={x.status} /> },
    // The SLA countdown right after the status: it must show without scrolling, in either language.
    {
      title: t('incidents.field.sla'),
      key: 'sla',
      render: (_, x) => (x.status === 'resolved' || x.status === 'closed' || x.status === 'cancelled') && !x.slaBreached ? <Typography.Text type="secondary">{t('common.empty')}</Typography.Text> : <SlaDue dueAt={x.slaDueAt} breached={x.slaBreached} />,
    },
    {
      // 类型 and 性质 share a column: the SLA countdown must fit without scrolling.
      title: `${t('incidents.field.type')} / ${t('incidents.field.nature')}`,
      key: 'type',
      render: (_, x) => (
        <Space direction="vertical" size={0}>
          <span>{x.typeName ?? <Typography.Text type="secondary">{t('incidents.unclassified')}</Typography.Text>}</span>
          {x.natureName && <Typography.Text type="secondary">{x.natureName}</Typography.Text>}
        </Space>
      ),
    },
    {
      title: t('incidents.field.cis'),
      key: 'cis',
      render: (_, x) =>
        x.ciNames.length === 0 ? (
          <Typography.Text type="secondary">{t('common.empty')}</Typography.Text>
        ) : (
          <Typography.Text ellipsis={{ tooltip: x.ciNames.join('、') }} style={{ maxWidth: 200 }}>
            {x.ciNames.length > 2 ? t('incidents.moreCis', { names: x.ciNames.slice(0, 2).join('、'), count: x.ciNames.length - 2 }) : x.ciNames.join('、')}
          </Typography.Text>
        ),
    },
    {
      title: t('incidents.field.handler'),
      key: 'handler',
      render: (_, x) =>
        x.assigneeName || x.groupName ? (
          <Space direction="vertical" size={0}>
            {x.assigneeName && <span>{x.assigneeName}</span>}
            {x.groupName && <Typography.Text type="secondary">{x.groupName}</Typography.Text>}
          </Space>
        ) : (
          <Typography.Text type="warning">{t('incidents.unassigned')}</Typography.Text>
        ),
    },
    {
      title: t('incidents.field.detectedAt'),
      key: 'detected',
      render: (_, x) => (
        <Tooltip title={formatDateTime(x.detectedAt)}>
          <span style={{ whiteSpace: 'nowrap' }}>{dayjs(x.detectedAt).format(dayjs(x.detectedAt).isSame(dayjs(), 'year') ? 'MM-DD HH:mm' : 'YYYY-MM-DD')}</span>
        </Tooltip>
      ),
    },
  ];

  const multi = (key: 'status' | 'priority', all: readonly string[], label: (x: string) => string, placeholder: string, width: number) => (value: string, set: (value: string) => void) => (
    <Select
      key={key}
      mode="multiple"
      allowClear
      maxTagCount="responsive"
      placeholder={placeholder}
      value={listOf(value, all)}
      onChange={(next: string[]) => set(next.join(','))}
      options={all.map((x) => ({ value: x, label: label(x) }))}
      style={{ width }}
      data-testid={`filter-${key}`}
    />
  );

  return (
    <ListPage<IncidentListItem, FilterKey>
      title={t('nav.items.incidents')}
      description={t('nav.descriptions.incidents')}
      pageTestId="incidents-page"
      primaryAction={can(INCIDENT_PERMISSIONS.write) ? { label: t('incidents.create'), icon: <PlusOutlined />, onClick: () => setCreating(null), testId: 'create-incident' } : undefined}
      emptyDescription={t('incidents.empty')}
      filters={{
        state: filters,
        items: [
          { key: 'q', type: 'search', placeholder: t('incidents.filter.search'), width: 220 },
          {
            key: 'all',
            type: 'custom',
            render: (value, set) => (
              <Checkbox key="all" checked={!value && statuses.length === 0} disabled={statuses.length > 0} onChange={(e) => set(e.target.checked ? '' : '1')} style={{ alignSelf: 'center' }} data-testid="filter-open">
                {t('incidents.filter.openOnly')}
              </Checkbox>
            ),
          },
          { key: 'status', type: 'custom', render: multi('status', INCIDENT_STATUSES, (s) => names.status(s as IncidentListItem['status']), t('incidents.filter.status'), 200) },
          { key: 'priority', type: 'custom', render: multi('priority', INCIDENT_PRIORITIES, (p) => p, t('incidents.filter.priority'), 160) },
          {
            key: 'type',
            type: 'custom',
            render: (value, set) => (
              <TreeSelect
                key="type"
                allowClear
                showSearch
                treeNodeFilterProp="title"
                treeDefaultExpandAll
                value={value || undefined}
                onChange={(next?: string) => set(next ?? '')}
                treeData={typeTree(options.data?.types ?? [], { includeDisabled: true })}
                placeholder={t('incidents.filter.type')}
                style={{ width: 180 }}
                data-testid="filter-type"
              />
            ),
          },
          {
            key: 'nature',
            type: 'custom',
            render: (value, set) => (
              <Select key="nature" allowClear value={value || undefined} onChange={(next?: string) => set(next ?? '')} options={(options.data?.natures ?? []).map((n) => ({ value: n.id, label: n.name }))} placeholder={t('incidents.filter.nature')} style={{ width: 150 }} data-testid="filter-nature" />
            ),
          },
          { key: 'source', type: 'select', placeholder: t('incidents.filter.source'), options: INCIDENT_SOURCES.map((s) => ({ value: s, label: names.source(s) })), width: 130 },
          {
            key: 'from',
            type: 'custom',
            render: () => (
              <DatePicker.RangePicker
                key="range"
                value={[epoch(v.from) !== undefined ? dayjs(epoch(v.from)) : null, epoch(v.to) !== undefined ? dayjs(epoch(v.to)) : null]}
                onChange={(range) => filters.set({ from: range?.[0] ? String(range[0].startOf('day').valueOf()) : '', to: range?.[1] ? String(range[1].endOf('day').valueOf()) : '' })}
                placeholder={[t('incidents.filter.from'), t('incidents.filter.to')]}
                data-testid="filter-range"
              />
            ),
          },
          {
            key: 'mine',
            type: 'custom',
            render: (value, set) => (
              <Checkbox key="mine" checked={Boolean(value)} onChange={(e) => set(e.target.checked ? '1' : '')} style={{ alignSelf: 'center' }} data-testid="filter-mine">
                {t('incidents.filter.mine')}
              </Checkbox>
            ),
          },
          {
            key: 'major',
            type: 'custom',
            render: (value, set) => (
              <Checkbox key="major" checked={Boolean(value)} onChange={(e) => set(e.target.checked ? '1' : '')} style={{ alignSelf: 'center' }} data-testid="filter-major">
                {t('incidents.filter.major')}
              </Checkbox>
            ),
          },
        ],
      }}
      rowKey="id"
      columns={columns}
      dataSource={incidents.data?.items ?? []}
      loading={incidents.isLoading}
      pagination={{ current: page, pageSize: PAGE_SIZE, total: incidents.data?.total ?? 0, onChange: setPage, showSizeChanger: false, showTotal: (total) => t('common.total', { total }) }}
      cards={{ title: 'title', badges: ['priority', 'status'], fields: ['number', 'type', 'cis', 'handler', 'detected', 'sla'], onOpen: (x) => void navigate(`/incidents/${x.id}`) }}
      data-testid="incidents-table"
    >
      <IncidentFormDrawer editing={creating} onClose={() => setCreating(undefined)} />
    </ListPage>
  );
}
