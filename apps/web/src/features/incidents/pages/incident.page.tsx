import { useState } from 'react';
import { Alert, Button, Card, Col, Descriptions, Empty, Result, Row, Space, Tabs, Tag, Typography } from 'antd';
import { EditOutlined, FieldTimeOutlined, UserSwitchOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { INCIDENT_MAJOR_ROLES, INCIDENT_PERMISSIONS, INCIDENT_TIME_FIELDS, type Incident, type IncidentAction } from '@yunwei/contracts/incidents';
import { useAuth } from '../../../app/auth-context';
import { DateTime } from '../../../shared/components/date-time';
import { FullPageSpin } from '../../../shared/components/full-page-spin';
import { PageContainer } from '../../../shared/components/page-container';
import { runWithFeedback } from '../../../shared/confirm-mutation';
import { useIncident, useTransitionIncident } from '../api/use-incidents';
import { ActivityTimeline } from '../components/activity-timeline';
import { ACTIONS_WITH_DIALOG, AssignModal, TimesModal, TransitionModal, watchConflict } from '../components/incident-dialogs';
import { IncidentFormDrawer } from '../components/incident-form.drawer';
import { PriorityTag, StatusTag, useIncidentNames } from '../components/incident-tags';
import { SlaCard } from '../components/sla-card';
import { ClassificationCard } from '../alerts/classification-card';
import { IncidentAlertsCard } from '../alerts/incident-alerts-card';
import { KnownErrorsAlert } from '../problems/known-errors-alert';
import { IncidentRunbooksTab } from '../runbooks/incident-runbooks-tab';
import { AnalysisTab } from '../documents/analysis-tab';
import { CauseTab } from '../cause/cause-tab';
import { VerificationCard } from '../verification/verification-card';

const muted = (text: string) => <Typography.Text type="secondary">{text}</Typography.Text>;

function ImpactCard({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const scope = incident.impactScope;
  return (
    <Card variant="borderless" title={t('incidents.impact.title')} data-testid="incident-impact">
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t('incidents.impact.businessSystems')}>
          {scope.businessSystems.length ? (
            <Space size={[4, 4]} wrap>
              {scope.businessSystems.map((b) => (
                <Tag key={b.id} color="gold">
                  {b.name}
                </Tag>
              ))}
            </Space>
          ) : (
            muted(t('incidents.impact.noBusiness'))
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('incidents.impact.affectedCount')}>
          <span data-testid="impact-count">{scope.affectedCount}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('incidents.impact.degraded')}>
          {scope.degraded.length ? (
            <Space size={[4, 4]} wrap>
              {scope.degraded.map((name) => (
                <Tag key={name} color="orange">
                  {name}
                </Tag>
              ))}
            </Space>
          ) : (
            muted(t('common.empty'))
          )}
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

function CisCard({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const linkable = can('cmdb.ci.read');
  return (
    <Card variant="borderless" title={t('incidents.cisTitle', { count: incident.cis.length })} data-testid="incident-cis-card">
      {incident.cis.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('incidents.noCis')} />
      ) : (
        <Space size={[8, 8]} wrap>
          {incident.cis.map((ci) => (
            <Tag key={ci.id} color={ci.isBusiness ? 'gold' : undefined} style={{ padding: '2px 8px' }}>
              {linkable ? <Link to={`/cmdb/cis/${ci.id}`}>{ci.name}</Link> : ci.name} <Typography.Text type="secondary">· {ci.className}</Typography.Text>
            </Tag>
          ))}
        </Space>
      )}
    </Card>
  );
}

function TimesCard({ incident, canEdit, onEdit }: { incident: Incident; canEdit: boolean; onEdit: () => void }) {
  const { t } = useTranslation();
  return (
    <Card
      variant="borderless"
      title={t('incidents.times.title')}
      extra={
        canEdit && (
          <Button size="small" icon={<FieldTimeOutlined />} onClick={onEdit} data-testid="incident-edit-times">
            {t('incidents.times.edit')}
          </Button>
        )
      }
      data-testid="incident-times-card"
    >
      <Descriptions size="small" column={1}>
        {INCIDENT_TIME_FIELDS.map((f) => (
          <Descriptions.Item key={f} label={t(`incidents.times.${f}`)}>
            <DateTime value={incident[f]} />
          </Descriptions.Item>
        ))}
        {incident.closedAt && (
          <Descriptions.Item label={t('incidents.times.closedAt')}>
            <DateTime value={incident.closedAt} />
          </Descriptions.Item>
        )}
      </Descriptions>
    </Card>
  );
}

/**
 * 故障详情: the header with what the reader may do now (`incident.actions`), 指派 / 转派, 编辑; times,
 * SLA clocks, impact, affected CIs, the major-incident roles and the activity; 原因追溯 in its own tab.
 */
export default function IncidentPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { can } = useAuth();
  const names = useIncidentNames();
  const incident = useIncident(id);
  const transition = useTransitionIncident();
  const [dialog, setDialog] = useState<IncidentAction | null>(null);
  const [assigning, setAssigning] = useState(false);
  const [editingTimes, setEditingTimes] = useState(false);
  // The incident as it was when 编辑 opened: saving sends that version, not one refetched meanwhile.
  const [editing, setEditing] = useState<Incident | undefined>(undefined);
  const [conflict, setConflict] = useState(false);
  if (incident.isLoading) {
    return <FullPageSpin />;
  }
  if (!incident.data) {
    return <Result status="404" title={t('incidents.notFound')} extra={<Link to="/incidents">{t('incidents.backToList')}</Link>} />;
  }
  const x = incident.data;
  const canWrite = can(INCIDENT_PERMISSIONS.write);
  const open = x.status !== 'closed' && x.status !== 'cancelled';
  const onConflict = () => setConflict(true);
  const reload = () => {
    void incident.refetch().then((fresh) => {
      setConflict(false);
      if (fresh.data) {
        setEditing((current) => (current ? fresh.data : current));
      }
    });
  };
  const act = (action: IncidentAction) => {
    if (ACTIONS_WITH_DIALOG.includes(action)) {
      setDialog(action);
      return;
    }
    void runWithFeedback({
      run: () => watchConflict(() => transition.mutateAsync({ id: x.id, body: { action, version: x.version } }), onConflict),
      success: t('incidents.transition.done', { action: names.action(action) }),
    });
  };

  const overview = (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={16}>
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <KnownErrorsAlert incidentId={x.id} />
          <Card variant="borderless" title={t('incidents.detailsTitle')}>
            <Descriptions size="small" column={{ xs: 1, md: 2 }}>
              <Descriptions.Item label={t('incidents.field.type')}>{x.type?.path ?? muted(t('incidents.unclassified'))}</Descriptions.Item>
              <Descriptions.Item label={t('incidents.field.nature')}>{x.nature?.name ?? muted(t('incidents.unclassified'))}</Descriptions.Item>
              <Descriptions.Item label={t('incidents.field.impact')}>{names.level(x.impact)}</Descriptions.Item>
              <Descriptions.Item label={t('incidents.field.urgency')}>{names.level(x.urgency)}</Descriptions.Item>
              <Descriptions.Item label={t('incidents.field.assignee')}>
                <span data-testid="incident-assignee-name">{x.assignee?.name ?? muted(t('incidents.unassigned'))}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('incidents.field.group')}>{x.group?.name ?? muted(t('incidents.noGroup'))}</Descriptions.Item>
              <Descriptions.Item label={t('incidents.field.source')}>{names.source(x.source)}</Descriptions.Item>
              <Descriptions.Item label={t('incidents.field.reporter')}>{x.reporter?.name ?? muted(t('common.empty'))}</Descriptions.Item>
              {x.pauseReason && (
                <Descriptions.Item label={t('incidents.field.pauseReason')}>
                  <span data-testid="incident-pause-reason-shown">{x.pauseReason.name}</span>
                  {x.pauseReason.pausesSla && <Typography.Text type="secondary"> · {t('incidents.transition.pausesSla')}</Typography.Text>}
                </Descriptions.Item>
              )}
            </Descriptions>
            {x.nature?.guidance && <Alert type="info" showIcon style={{ marginTop: 8 }} title={t('incidents.natureGuidance', { nature: x.nature.name })} description={x.nature.guidance} />}
            <Typography.Title level={5} style={{ marginTop: 16 }}>
              {t('incidents.field.description')}
            </Typography.Title>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }} data-testid="incident-description-shown">
              {x.description || muted(t('incidents.noDescription'))}
            </Typography.Paragraph>
            {x.resolution && (
              <>
                <Typography.Title level={5}>{t('incidents.field.resolution')}</Typography.Title>
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }} data-testid="incident-resolution">
                  {x.resolution}
                </Typography.Paragraph>
              </>
            )}
          </Card>
          <ImpactCard incident={x} />
          <CisCard incident={x} />
          <IncidentAlertsCard incidentId={x.id} />
          <ActivityTimeline incidentId={x.id} />
        </Space>
      </Col>
      <Col xs={24} xl={8}>
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <SlaCard incident={x} />
          <VerificationCard incident={x} canWrite={canWrite && x.canEdit} />
          <ClassificationCard incidentId={x.id} canWrite={canWrite && x.canEdit} />
          <TimesCard incident={x} canEdit={canWrite && x.canEdit} onEdit={() => setEditingTimes(true)} />
          {x.major && (
            <Card variant="borderless" title={t('incidents.majorRoles')} data-testid="incident-major-roles">
              <Descriptions size="small" column={1}>
                {INCIDENT_MAJOR_ROLES.map((role) => (
                  <Descriptions.Item key={role} label={names.role(role)}>
                    {x.majorRoles[role]?.name ?? muted(t('incidents.roleUnset'))}
                  </Descriptions.Item>
                ))}
              </Descriptions>
            </Card>
          )}
        </Space>
      </Col>
    </Row>
  );

  return (
    <PageContainer
      testId="incident-page"
      title={
        <Space size={8} wrap data-testid="incident-heading">
          <Typography.Text type="secondary" style={{ fontSize: 'inherit', fontWeight: 'normal' }} data-testid="incident-number">
            {x.number}
          </Typography.Text>
          <span>{x.title}</span>
          <StatusTag status={x.status} testId="incident-status" />
          <PriorityTag priority={x.priority} testId="incident-priority" />
          {x.major && <Tag color="red">{t('incidents.major')}</Tag>}
        </Space>
      }
      extra={
        <>
          {x.actions.map((action) => (
            <Button key={action} type={action === 'start' || action === 'resolve' ? 'primary' : 'default'} danger={action === 'cancel'} onClick={() => act(action)} loading={transition.isPending && transition.variables?.body.action === action} data-testid={`incident-action-${action}`}>
              {names.action(action)}
            </Button>
          ))}
          {canWrite && open && (
            <Button icon={<UserSwitchOutlined />} onClick={() => setAssigning(true)} data-testid="incident-assign-open">
              {x.assignee ? t('incidents.assign.reassign') : t('incidents.assign.assign')}
            </Button>
          )}
          {canWrite && x.canEdit && (
            <Button icon={<EditOutlined />} onClick={() => setEditing(x)} data-testid="incident-edit">
              {t('common.edit')}
            </Button>
          )}
        </>
      }
    >
      {conflict && (
        <Alert
          type="warning"
          showIcon
          title={t('incidents.conflict')}
          description={t('incidents.conflictHelp')}
          action={
            <Button size="small" onClick={reload} data-testid="incident-reload">
              {t('incidents.reload')}
            </Button>
          }
          data-testid="incident-conflict"
        />
      )}
      <Tabs
        defaultActiveKey="overview"
        items={[
          { key: 'overview', label: t('incidents.tabs.overview'), children: overview },
          { key: 'runbooks', label: t('runbooks.tab'), children: <IncidentRunbooksTab incidentId={x.id} canWrite={canWrite} open={open && x.status !== 'resolved'} /> },
          { key: 'analysis', label: t('incidentDocs.analysis.tab'), children: <AnalysisTab incident={x} canWrite={canWrite} /> },
          { key: 'cause', label: t('incidents.tabs.cause'), children: <CauseTab incident={x} canWrite={canWrite && x.canEdit} /> },
        ]}
      />
      <TransitionModal incident={x} action={dialog} onClose={() => setDialog(null)} onConflict={onConflict} />
      <AssignModal incident={x} open={assigning} onClose={() => setAssigning(false)} onConflict={onConflict} />
      <TimesModal incident={x} open={editingTimes} onClose={() => setEditingTimes(false)} onConflict={onConflict} />
      <IncidentFormDrawer editing={editing} onClose={() => setEditing(undefined)} conflict={conflict} onConflict={onConflict} onReload={reload} />
    </PageContainer>
  );
}
