import { useState } from 'react';
import { Alert, Button, Card, Col, Descriptions, Empty, List, Result, Row, Select, Space, Tag, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { PROBLEM_PERMISSIONS, type Problem, type ProblemAction } from '@yunwei/contracts/incident-problems';
import { useAuth } from '../../../app/auth-context';
import { ApiError } from '../../../app/api-client';
import { FullPageSpin } from '../../../shared/components/full-page-spin';
import { PageContainer } from '../../../shared/components/page-container';
import { runWithFeedback } from '../../../shared/confirm-mutation';
import { useIncidents } from '../api/use-incidents';
import { StatusTag } from '../components/incident-tags';
import { FishboneChart } from './fishbone-chart';
import { PROBLEM_STATUS_COLORS, useProblemNames } from './problem-names';
import { RcaForm } from './rca-form';
import { useLinkIncidents, useProblem, useTransitionProblem, useUnlinkIncident } from './use-problems';

function IncidentsCard({ problem, canWrite, onConflict }: { problem: Problem; canWrite: boolean; onConflict: () => void }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [picked, setPicked] = useState<string[]>([]);
  const incidents = useIncidents({ limit: 50, ...(search.trim() ? { q: search.trim() } : {}) });
  const link = useLinkIncidents();
  const unlink = useUnlinkIncident();
  const linked = new Set(problem.incidents.map((i) => i.id));
  const guard = async <T,>(run: () => Promise<T>) => {
    try {
      return await run();
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        onConflict();
      }
      throw error;
    }
  };
  return (
    <Card variant="borderless" title={t('problems.incidentsTitle', { count: problem.incidents.length })} data-testid="problem-incidents-card">
      <List
        size="small"
        dataSource={problem.incidents}
        locale={{ emptyText: t('problems.noIncidents') }}
        renderItem={(i) => (
          <List.Item
            actions={
              canWrite
                ? [
                    <Button key="unlink" type="link" size="small" onClick={() => void runWithFeedback({ run: () => guard(() => unlink.mutateAsync({ id: problem.id, incidentId: i.id, version: problem.version })), success: t('problems.unlinked') })}>
                      {t('problems.unlink')}
                    </Button>,
                  ]
                : []
            }
          >
            <Space size={8} wrap>
              <Link to={`/incidents/${i.id}`}>{i.number}</Link>
              <span>{i.title}</span>
              <StatusTag status={i.status as Parameters<typeof StatusTag>[0]['status']} />
            </Space>
          </List.Item>
        )}
      />
      {canWrite && (
        <Space.Compact style={{ width: '100%', marginTop: 8 }}>
          <Select
            mode="multiple"
            showSearch
            filterOption={false}
            onSearch={setSearch}
            value={picked}
            onChange={setPicked}
            style={{ width: '100%' }}
            placeholder={t('problems.linkPlaceholder')}
            options={(incidents.data?.items ?? []).filter((i) => !linked.has(i.id)).map((i) => ({ value: i.id, label: `${i.number} ${i.title}` }))}
            data-testid="problem-link-select"
          />
          <Button
            disabled={!picked.length}
            onClick={() => void runWithFeedback({ run: () => guard(() => link.mutateAsync({ id: problem.id, body: { version: problem.version, incidentIds: picked } })), success: t('problems.linked'), onDone: () => setPicked([]) })}
            data-testid="problem-link"
          >
            {t('problems.link')}
          </Button>
        </Space.Compact>
      )}
    </Card>
  );
}

/** 问题详情: status and actions, the incidents behind it, root-cause analysis (5 whys, fishbone), workaround, fix, match criteria. */
export default function ProblemPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { can } = useAuth();
  const names = useProblemNames();
  const problem = useProblem(id);
  const transition = useTransitionProblem();
  const [conflict, setConflict] = useState(false);
  if (problem.isLoading) {
    return <FullPageSpin />;
  }
  if (!problem.data) {
    return <Result status="404" title={t('problems.notFound')} extra={<Link to="/incidents/problems">{t('problems.backToList')}</Link>} />;
  }
  const p = problem.data;
  const canWrite = can(PROBLEM_PERMISSIONS.write) && p.canEdit;
  const onConflict = () => setConflict(true);
  const act = (action: ProblemAction) =>
    void runWithFeedback({
      run: async () => {
        try {
          return await transition.mutateAsync({ id: p.id, body: { action, version: p.version } });
        } catch (error) {
          if (error instanceof ApiError && error.code === 'YW_PROBLEM_VERSION_CONFLICT') {
            onConflict();
          }
          throw error;
        }
      },
      success: t('problems.transitionDone', { action: names.action(action) }),
    });
  return (
    <PageContainer
      testId="problem-page"
      title={
        <Space size={8} wrap>
          <Typography.Text type="secondary" style={{ fontSize: 'inherit', fontWeight: 'normal' }}>
            {p.number}
          </Typography.Text>
          <span>{p.title}</span>
          <Tag color={PROBLEM_STATUS_COLORS[p.status]} data-testid="problem-status">
            {names.status(p.status)}
          </Tag>
        </Space>
      }
      extra={p.actions.map((a) => (
        <Button key={a} type={a === 'known_error' || a === 'resolve' ? 'primary' : 'default'} onClick={() => act(a)} loading={transition.isPending && transition.variables?.body.action === a} data-testid={`problem-action-${a}`}>
          {names.action(a)}
        </Button>
      ))}
    >
      {conflict && (
        <Alert
          type="warning"
          showIcon
          title={t('problems.conflict')}
          action={
            <Button size="small" onClick={() => void problem.refetch().then(() => setConflict(false))}>
              {t('problems.reload')}
            </Button>
          }
          style={{ marginBottom: 16 }}
        />
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <RcaForm key={p.version} problem={p} readOnly={!canWrite} onConflict={onConflict} />
        </Col>
        <Col xs={24} xl={8}>
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            <Card variant="borderless" title={t('problems.detailsTitle')}>
              <Descriptions size="small" column={1}>
                <Descriptions.Item label={t('problems.field.owner')}>{p.owner?.name ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('problems.field.type')}>{p.type?.path ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('problems.field.cis')}>{p.cis.length ? p.cis.map((c) => c.name).join(t('problems.separator')) : '—'}</Descriptions.Item>
              </Descriptions>
              {p.description && <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginTop: 8 }}>{p.description}</Typography.Paragraph>}
            </Card>
            <IncidentsCard problem={p} canWrite={canWrite} onConflict={onConflict} />
            <Card variant="borderless" title={t('problems.fishbone.chartTitle')}>
              {Object.values(p.fishbone).some((c) => c?.length) ? <FishboneChart problem={p} /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('problems.fishbone.empty')} />}
            </Card>
          </Space>
        </Col>
      </Row>
    </PageContainer>
  );
}
