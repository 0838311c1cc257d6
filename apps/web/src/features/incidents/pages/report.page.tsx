import { Button, Card, Col, Form, Input, Radio, Row, Tooltip, Typography, type TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { SendOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { INCIDENT_LIMITS, INCIDENT_PERMISSIONS, type IncidentLevel, type IncidentListItem, type IncidentSelfReport } from '@yunwei/contracts/incidents';
import { useAuth } from '../../../app/auth-context';
import { reportError } from '../../../app/query-client';
import { formatDateTime } from '../../../shared/components/date-time';
import { ListTable } from '../../../shared/components/list-page';
import { PageContainer } from '../../../shared/components/page-container';
import { feedback } from '../../../shared/feedback';
import { applyServerErrors } from '../../../shared/form-errors';
import { CiPicker } from '../../cmdb/components/ci-picker';
import { useMyReports, useReportIncident } from '../api/use-incidents';
import { StatusTag } from '../components/incident-tags';

interface ReportValues {
  title: string;
  description: string;
  impact?: IncidentLevel;
  urgency?: IncidentLevel;
  ciIds?: string[];
}

/**
 * 自助报障: staff say what happened in their words (how many people, how urgent) and follow their own
 * reports; the handlers classify and prioritise them.
 */
export default function ReportIncidentPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [form] = Form.useForm<ReportValues>();
  const report = useReportIncident();
  const handler = can(INCIDENT_PERMISSIONS.read);
  const mine = useMyReports();

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) {
      return;
    }
    const body: IncidentSelfReport = {
      title: v.title.trim(),
      description: v.description.trim(),
      ...(v.impact ? { impact: v.impact } : {}),
      ...(v.urgency ? { urgency: v.urgency } : {}),
      ...(v.ciIds?.length ? { ciIds: v.ciIds } : {}),
    };
    try {
      const created = await report.mutateAsync(body);
      void feedback.current?.message.success(t('incidents.report.sent', { number: created.number }));
      form.resetFields();
    } catch (error) {
      applyServerErrors(form, error);
      reportError(error);
    }
  };

  const columns: TableColumnsType<IncidentListItem> = [
    {
      title: t('incidents.field.number'),
      key: 'number',
      render: (_, x) => (handler ? <Link to={`/incidents/${x.id}`}>{x.number}</Link> : <span style={{ whiteSpace: 'nowrap' }}>{x.number}</span>),
    },
    { title: t('incidents.field.title'), dataIndex: 'title', key: 'title' },
    { title: t('incidents.field.status'), key: 'status', render: (_, x) => <StatusTag status={x.status} testId={`my-report-status-${x.number}`} /> },
    { title: t('incidents.field.handler'), key: 'handler', render: (_, x) => x.assigneeName ?? x.groupName ?? <Typography.Text type="secondary">{t('incidents.report.waiting')}</Typography.Text> },
    {
      title: t('incidents.report.reportedAt'),
      key: 'detected',
      render: (_, x) => (
        <Tooltip title={formatDateTime(x.detectedAt)}>
          <span style={{ whiteSpace: 'nowrap' }}>{dayjs(x.detectedAt).format('MM-DD HH:mm')}</span>
        </Tooltip>
      ),
    },
  ];

  return (
    <PageContainer title={t('nav.items.incidentReport')} description={t('nav.descriptions.incidentReport')} testId="incident-report-page">
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={10}>
          <Card variant="borderless" title={t('incidents.report.formTitle')}>
            <Form<ReportValues> form={form} layout="vertical" name="incident-report" initialValues={{ impact: 3, urgency: 3, ciIds: [] }}>
              <Form.Item name="title" label={t('incidents.report.what')} rules={[{ required: true, whitespace: true, message: t('incidents.titleRequired') }, { max: INCIDENT_LIMITS.title, message: t('common.validation.maxLength', { max: INCIDENT_LIMITS.title }) }]}>
                <Input placeholder={t('incidents.report.whatPlaceholder')} data-testid="report-title" />
              </Form.Item>
              <Form.Item name="description" label={t('incidents.field.description')} rules={[{ required: true, whitespace: true, message: t('incidents.report.descriptionRequired') }, { max: INCIDENT_LIMITS.description, message: t('common.validation.maxLength', { max: INCIDENT_LIMITS.description }) }]}>
                <Input.TextArea rows={4} placeholder={t('incidents.report.descriptionPlaceholder')} data-testid="report-description" />
              </Form.Item>
              <Form.Item name="impact" label={t('incidents.report.howMany')}>
                <Radio.Group
                  options={[
                    { value: 3, label: t('incidents.report.impact3') },
                    { value: 2, label: t('incidents.report.impact2') },
                    { value: 1, label: t('incidents.report.impact1') },
                  ]}
                  data-testid="report-impact"
                />
              </Form.Item>
              <Form.Item name="urgency" label={t('incidents.report.howUrgent')}>
                <Radio.Group
                  options={[
                    { value: 3, label: t('incidents.report.urgency3') },
                    { value: 2, label: t('incidents.report.urgency2') },
                    { value: 1, label: t('incidents.report.urgency1') },
                  ]}
                  data-testid="report-urgency"
                />
              </Form.Item>
              {can('cmdb.ci.read') && (
                <Form.Item name="ciIds" label={t('incidents.report.ci')} extra={t('incidents.report.ciHelp')} rules={[{ type: 'array', max: 5, message: t('incidents.report.ciMax') }]}>
                  <CiPicker multiple testId="report-cis" />
                </Form.Item>
              )}
              <Button type="primary" icon={<SendOutlined />} loading={report.isPending} onClick={() => void submit()} data-testid="report-submit">
                {t('incidents.report.submit')}
              </Button>
            </Form>
          </Card>
        </Col>
        <Col xs={24} xl={14}>
          <Card variant="borderless" title={t('incidents.report.mine')}>
            <ListTable<IncidentListItem>
              rowKey="id"
              columns={columns}
              dataSource={mine.data?.items ?? []}
              loading={mine.isLoading}
              pagination={false}
              empty={{ description: t('incidents.report.mineEmpty') }}
              cards={{ title: 'title', badges: ['status'], fields: ['number', 'handler', 'detected'] }}
              data-testid="my-reports"
            />
          </Card>
        </Col>
      </Row>
    </PageContainer>
  );
}
