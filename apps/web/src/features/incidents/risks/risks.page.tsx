import { useState } from 'react';
import { App, Button, DatePicker, Form, Input, InputNumber, Select, Space, Tag, Typography, type TableColumnsType } from 'antd';
import { FileExcelOutlined, FileAddOutlined, PlusOutlined, SyncOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { RISK_LEVELS, RISK_PERMISSIONS, RISK_SOURCES, RISK_STATUSES, type Risk, type RiskAction, type RiskLevel, type RiskListQuery, type RiskSource, type RiskStatus } from '@yunwei/contracts/incident-problems';
import { downloadFile } from '../../../app/api-client';
import { useAuth } from '../../../app/auth-context';
import { DocumentDownload } from '../../../shared/components/document-download';
import { FormDrawer } from '../../../shared/components/form-drawer';
import { FormModal } from '../../../shared/components/form-modal';
import { ListPage } from '../../../shared/components/list-page';
import { ConfirmButton, runWithFeedback } from '../../../shared/confirm-mutation';
import { useUrlFilters } from '../../../shared/use-url-filters';
import { useIncidentOptions } from '../api/use-incidents';
import { RISK_LEVEL_COLORS, RISK_STATUS_COLORS, useProblemNames } from '../problems/problem-names';
import { useCollectRisks, useCreateRisk, useFilePreventionPlan, useRisks, useTransitionRisk, useUpdateRisk } from '../problems/use-problems';
import { RiskHeatmap } from './risk-heatmap';

interface Values {
  title: string;
  description?: string;
  likelihood: number;
  impact: number;
  ownerId?: string | null;
  dueAt?: Dayjs | null;
  measures?: string;
}

const toValues = (r: Risk): Values => ({ title: r.title, description: r.description, likelihood: r.likelihood, impact: r.impact, ownerId: r.owner?.id ?? null, dueAt: r.dueAt ? dayjs(r.dueAt) : null, measures: r.measures });

/** 隐患台账: latent risks by level (coloured), the likelihood × impact heat map, 采集, the 故障预防方案 and the Excel register. */
export default function RisksPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { message } = App.useApp();
  const names = useProblemNames();
  const canWrite = can(RISK_PERMISSIONS.write);
  const filters = useUrlFilters({ status: RISK_STATUSES, level: RISK_LEVELS, source: RISK_SOURCES, q: 'text' });
  const v = filters.values;
  const query: RiskListQuery = {
    ...(v.status ? { status: v.status as RiskStatus } : {}),
    ...(v.level ? { level: v.level as RiskLevel } : {}),
    ...(v.source ? { source: v.source as RiskSource } : {}),
    ...(v.q.trim() ? { q: v.q.trim() } : {}),
    limit: 500,
  };
  const risks = useRisks(query);
  const all = useRisks({ open: true, limit: 500 });
  const options = useIncidentOptions();
  const create = useCreateRisk();
  const update = useUpdateRisk();
  const transition = useTransitionRisk();
  const collect = useCollectRisks();
  const file = useFilePreventionPlan();
  const [editing, setEditing] = useState<Risk | null | undefined>(undefined);
  const [accepting, setAccepting] = useState<Risk | null>(null);

  const act = (r: Risk, action: RiskAction) => transition.mutateAsync({ id: r.id, body: { action, version: r.version } });
  const columns: TableColumnsType<Risk> = [
    { title: t('risks.field.level'), key: 'level', width: 80, render: (_, r) => <Tag color={RISK_LEVEL_COLORS[r.level]} data-testid={`risk-level-${r.id}`}>{names.level(r.level)}</Tag> },
    {
      title: t('risks.field.title'),
      key: 'title',
      render: (_, r) => (
        <Space direction="vertical" size={0}>
          <Typography.Text strong>{r.title}</Typography.Text>
          {r.description && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.description}</Typography.Text>}
        </Space>
      ),
    },
    {
      title: t('risks.field.source'),
      key: 'source',
      render: (_, r) => (
        <Space direction="vertical" size={0}>
          <span>{names.source(r.source)}</span>
          {r.sourceRef && (r.sourceRef.link ? <Link to={r.sourceRef.link}>{r.sourceRef.label}</Link> : <Typography.Text type="secondary">{r.sourceRef.label}</Typography.Text>)}
        </Space>
      ),
    },
    { title: t('risks.field.score'), key: 'score', width: 90, render: (_, r) => `${r.likelihood} × ${r.impact} = ${r.score}` },
    { title: t('risks.field.owner'), key: 'owner', render: (_, r) => r.owner?.name ?? <Typography.Text type="secondary">{t('risks.unassigned')}</Typography.Text> },
    { title: t('risks.field.dueAt'), key: 'dueAt', render: (_, r) => (r.dueAt ? <Typography.Text type={r.overdue ? 'danger' : undefined}>{dayjs(r.dueAt).format('YYYY-MM-DD')}</Typography.Text> : '—') },
    { title: t('risks.field.status'), key: 'status', render: (_, r) => <Tag color={RISK_STATUS_COLORS[r.status]}>{names.riskStatus(r.status)}</Tag> },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, r) => (
        <Space size={0} wrap>
          {canWrite && (
            <Button type="link" size="small" onClick={() => setEditing(r)} data-testid={`risk-edit-${r.id}`}>
              {t('common.edit')}
            </Button>
          )}
          {r.actions.map((a) =>
            a === 'accept' ? (
              <Button key={a} type="link" size="small" onClick={() => setAccepting(r)}>
                {names.riskAction(a)}
              </Button>
            ) : (
              <ConfirmButton key={a} label={names.riskAction(a)} title={t('risks.confirm', { action: names.riskAction(a), title: r.title })} okText={names.riskAction(a)} danger={false} run={() => act(r, a)} success={t('risks.done', { action: names.riskAction(a) })} testId={`risk-${a}-${r.id}`} />
            ),
          )}
        </Space>
      ),
    },
  ];

  const runCollect = () =>
    void runWithFeedback({
      run: () => collect.mutateAsync(),
      success: null,
      onDone: (result) => {
        const created = result.sources.reduce((n, s) => n + s.created + s.reopened, 0);
        const failed = result.sources.filter((s) => s.error).map((s) => names.source(s.source));
        void message.info(t('risks.collected', { count: created }) + (failed.length ? t('risks.collectFailed', { sources: failed.join(t('problems.separator')) }) : ''));
      },
    });

  return (
    <ListPage<Risk, 'status' | 'level' | 'source' | 'q'>
      title={t('nav.items.risks')}
      description={t('nav.descriptions.risks')}
      pageTestId="risks-page"
      emptyDescription={t('risks.empty')}
      extra={
        <Space wrap>
          {canWrite && (
            <Button icon={<SyncOutlined />} loading={collect.isPending} onClick={runCollect} data-testid="risks-collect">
              {t('risks.collect')}
            </Button>
          )}
          <Button icon={<FileExcelOutlined />} onClick={() => void downloadFile('/api/risks/export.xlsx', {}, 'risks.xlsx')} data-testid="risks-export">
            {t('risks.export')}
          </Button>
          <DocumentDownload download={(format) => downloadFile(`/api/risks/prevention-plan.${format}`, {}, `prevention-plan.${format}`)} testId="risks-plan-download" />
          {canWrite && can('library.document.write') && (
            <Button
              icon={<FileAddOutlined />}
              loading={file.isPending}
              onClick={() => void runWithFeedback({ run: () => file.mutateAsync(), success: null, onDone: (d) => void message.success(t('risks.filed', { number: d.number })) })}
              data-testid="risks-plan-file"
            >
              {t('risks.fileToLibrary')}
            </Button>
          )}
        </Space>
      }
      primaryAction={canWrite ? { label: t('risks.create'), icon: <PlusOutlined />, onClick: () => setEditing(null), testId: 'create-risk' } : undefined}
      filters={{
        state: filters,
        items: [
          { key: 'q', type: 'search', placeholder: t('risks.filter.search') },
          { key: 'level', type: 'select', placeholder: t('risks.field.level'), options: RISK_LEVELS.map((l) => ({ value: l, label: names.level(l) })) },
          { key: 'status', type: 'select', placeholder: t('risks.field.status'), options: RISK_STATUSES.map((s) => ({ value: s, label: names.riskStatus(s) })) },
          { key: 'source', type: 'select', placeholder: t('risks.field.source'), options: RISK_SOURCES.map((s) => ({ value: s, label: names.source(s) })) },
        ],
      }}
      rowKey="id"
      columns={columns}
      dataSource={risks.data?.items ?? []}
      loading={risks.isLoading}
      data-testid="risks-table"
    >
      <RiskHeatmap risks={all.data?.items ?? []} />
      <FormDrawer<Values, Risk>
        open={editing !== undefined}
        editing={Boolean(editing)}
        name="risk-form"
        testId="risk-form"
        title={t('risks.create')}
        editTitle={t('risks.editTitle', { title: editing?.title ?? '' })}
        initialValues={editing ? toValues(editing) : { likelihood: 3, impact: 3 }}
        onSubmit={(x) => {
          const body = { title: x.title, description: x.description ?? '', likelihood: x.likelihood, impact: x.impact, ownerId: x.ownerId ?? null, dueAt: x.dueAt ? x.dueAt.endOf('day').valueOf() : null, measures: x.measures ?? '' };
          return editing ? update.mutateAsync({ id: editing.id, body: { ...body, version: editing.version } }) : create.mutateAsync(body);
        }}
        onClose={() => setEditing(undefined)}
      >
        <Form.Item name="title" label={t('risks.field.title')} rules={[{ required: true, whitespace: true }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="description" label={t('risks.field.description')}>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Space size={16}>
          <Form.Item name="likelihood" label={t('risks.field.likelihood')} rules={[{ required: true }]} extra={t('risks.ratingHelp')}>
            <InputNumber min={1} max={5} precision={0} />
          </Form.Item>
          <Form.Item name="impact" label={t('risks.field.impact')} rules={[{ required: true }]}>
            <InputNumber min={1} max={5} precision={0} />
          </Form.Item>
        </Space>
        <Form.Item name="ownerId" label={t('risks.field.owner')}>
          <Select allowClear showSearch optionFilterProp="label" options={(options.data?.people ?? []).map((p) => ({ value: p.id, label: p.name }))} />
        </Form.Item>
        <Form.Item name="dueAt" label={t('risks.field.dueAt')} extra={t('risks.dueHelp')}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="measures" label={t('risks.field.measures')}>
          <Input.TextArea rows={4} />
        </Form.Item>
      </FormDrawer>
      <FormModal<{ note: string }, Risk>
        open={accepting !== null}
        name="risk-accept"
        title={t('risks.acceptTitle', { title: accepting?.title ?? '' })}
        onSubmit={(x) => transition.mutateAsync({ id: accepting!.id, body: { action: 'accept', version: accepting!.version, note: x.note } })}
        success={t('risks.done', { action: names.riskAction('accept') })}
        onClose={() => setAccepting(null)}
      >
        <Form.Item name="note" label={t('risks.acceptReason')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </FormModal>
    </ListPage>
  );
}
