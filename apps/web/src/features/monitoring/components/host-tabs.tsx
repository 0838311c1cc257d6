import { Empty, Skeleton, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Relation } from '@yunwei/contracts/cmdb';
import { useAuth } from '../../../app/auth-context';
import { DateTime } from '../../../shared/components/date-time';
import { useChecksOf, useHostRelations, type CheckItem } from '../api/use-monitoring';
import { StateTag } from './state-tag';

/** Checks attached to the CI; an empty state when there are none (or the checks module is absent). */
export function ChecksTab({ ciId }: { ciId: string }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { data, isLoading, isError } = useChecksOf(ciId);
  if (isLoading) {
    return <Skeleton active />;
  }
  if (!data || data.items.length === 0) {
    return (
      <Empty description={isError ? t('monitoring.checks.unavailable') : t('monitoring.checks.none')} data-testid="checks-empty">
        {!isError && can('checks.check.read') && <Link to="/monitoring/checks">{t('home.state.gettingStarted.goChecks')}</Link>}
      </Empty>
    );
  }
  return (
    <Table<CheckItem>
      size="small"
      rowKey="id"
      dataSource={data.items}
      data-testid="checks-table"
      pagination={false}
      columns={[
        { title: t('monitoring.checks.name'), dataIndex: 'name' },
        { title: t('monitoring.checks.type'), dataIndex: 'type', render: (v: string) => <Tag>{v.toUpperCase()}</Tag> },
        { title: t('monitoring.checks.status'), dataIndex: 'status', render: (v: CheckItem['status'], c) => (c.enabled ? <StateTag state={v} /> : <Tag>{t('monitoring.checks.disabled')}</Tag>) },
        { title: t('monitoring.checks.latency'), dataIndex: 'latencyMs', render: (v: number | null) => (v === null ? '' : `${v.toFixed(0)} ms`) },
        { title: t('monitoring.checks.interval'), dataIndex: 'intervalSeconds', render: (v: number) => `${v} s` },
        { title: t('monitoring.checks.lastCheckedAt'), dataIndex: 'lastCheckedAt', render: (v: number | null) => <DateTime value={v} /> },
        { title: t('monitoring.checks.message'), dataIndex: 'message', ellipsis: true },
      ]}
    />
  );
}

/** The CI's CMDB relations: what it relies on and what relies on it. */
export function RelationsTab({ ciId }: { ciId: string }) {
  const { t } = useTranslation();
  const { data, isLoading } = useHostRelations(ciId);
  if (isLoading) {
    return <Skeleton active />;
  }
  const rows = [...(data?.outgoing ?? []).map((r) => ({ r, outgoing: true })), ...(data?.incoming ?? []).map((r) => ({ r, outgoing: false }))];
  if (rows.length === 0) {
    return (
      <Empty description={t('monitoring.relations.none')} data-testid="relations-empty">
        <Link to={`/cmdb/cis/${ciId}`}>{t('monitoring.relations.addInCmdb')}</Link>
      </Empty>
    );
  }
  return (
    <Table<{ r: Relation; outgoing: boolean }>
      size="small"
      rowKey={(x) => x.r.id}
      dataSource={rows}
      pagination={false}
      data-testid="relations-table"
      columns={[
        { title: t('monitoring.relations.direction'), render: (_, x) => <Tag color={x.outgoing ? 'blue' : 'purple'}>{x.outgoing ? t('monitoring.relations.reliesOn') : t('monitoring.relations.reliedOnBy')}</Tag> },
        { title: t('monitoring.relations.type'), render: (_, x) => t(`monitoring.relationType.${x.r.type}`) },
        {
          title: t('monitoring.relations.other'),
          render: (_, x) => {
            const id = x.outgoing ? x.r.targetId : x.r.sourceId;
            const name = x.outgoing ? x.r.targetName : x.r.sourceName;
            return x.outgoing && x.r.targetKind === 'group' ? name : <Link to={`/cmdb/cis/${id}`}>{name}</Link>;
          },
        },
        { title: t('monitoring.relations.propagates'), render: (_, x) => (x.r.propagates ? t('monitoring.relations.yes') : t('monitoring.relations.no')) },
      ]}
    />
  );
}
