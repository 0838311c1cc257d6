import { Button, Card, Flex, Form, Input, InputNumber, Select, Space, Switch, Table, TimePicker, Typography, type FormInstance } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { INCIDENT_LEVELS, INCIDENT_PRIORITIES, type IncidentConfig, type IncidentConfigInput, type IncidentPriority, type PauseReason, type SlaTarget } from '@yunwei/contracts/incidents';
import { ApiError } from '../../../app/api-client';
import { reportError } from '../../../app/query-client';
import { feedback } from '../../../shared/feedback';
import { formFieldPath } from '../../../shared/form-errors';
import { useSaveIncidentConfig } from '../api/use-incidents';
import { badWindow } from '../incident-meta';
import { useIncidentNames } from '../components/incident-tags';

/** The configuration as the PUT takes it (without the time zone and update time it answers with). */
export function inputOf(config: IncidentConfig): IncidentConfigInput {
  return { matrix: config.matrix, sla: config.sla, businessHours: config.businessHours, pauseReasons: config.pauseReasons, reopenDays: config.reopenDays, warnAt: config.warnAt };
}

/** The server's field errors on this form's fields: `businessHours.1.end` is the window's range, `warnAt` a percentage. */
function putErrors(form: FormInstance, error: unknown): void {
  if (!(error instanceof ApiError) || !error.details) {
    return;
  }
  const fields = error.details.fields ?? (error.details.field ? [{ field: error.details.field, message: error.message }] : []);
  form.setFields(
    fields.map((f) => {
      const path: (string | number)[] = formFieldPath(f.field).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
      if (path[0] === 'businessHours' && path.length === 3) {
        path[2] = 'range';
      }
      if (path[0] === 'warnAt') {
        path[0] = 'warnPercent';
      }
      return { name: path, errors: [f.message] };
    }),
  );
}

function useSave(config: IncidentConfig | undefined) {
  const { t } = useTranslation();
  const save = useSaveIncidentConfig();
  const [saving, setSaving] = useState(false);
  return {
    saving,
    run: async (form: FormInstance, change: (input: IncidentConfigInput) => IncidentConfigInput) => {
      if (!config) {
        return;
      }
      setSaving(true);
      try {
        await save.mutateAsync(change(inputOf(config)));
        void feedback.current?.message.success(t('common.saved'));
      } catch (error) {
        putErrors(form, error);
        reportError(error);
      } finally {
        setSaving(false);
      }
    },
  };
}

/** 优先级矩阵: 影响度 rows × 紧急度 columns, each cell P1–P4. */
export function MatrixForm({ config }: { config: IncidentConfig | undefined }) {
  const { t } = useTranslation();
  const names = useIncidentNames();
  const [form] = Form.useForm<{ matrix: IncidentPriority[][] }>();
  const { saving, run } = useSave(config);
  useEffect(() => {
    if (config) {
      form.setFieldsValue({ matrix: config.matrix.map((row) => [...row]) });
    }
  }, [config, form]);
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (v) {
      await run(form, (input) => ({ ...input, matrix: v.matrix }));
    }
  };
  const rows = INCIDENT_LEVELS.map((impact) => ({ impact }));
  return (
    <Card variant="borderless" title={t('incidents.config.matrix.help')} styles={{ header: { fontWeight: 'normal' } }}>
      <Form form={form} name="incident-matrix" component="div">
        <Table
          rowKey="impact"
          pagination={false}
          size="middle"
          bordered
          style={{ maxWidth: 640 }}
          dataSource={rows}
          columns={[
            { title: t('incidents.matrix.corner'), key: 'impact', render: (_, r) => <Typography.Text strong>{t('incidents.matrix.impact', { level: names.level(r.impact) })}</Typography.Text> },
            ...INCIDENT_LEVELS.map((urgency) => ({
              title: t('incidents.matrix.urgency', { level: names.level(urgency) }),
              key: `u${urgency}`,
              render: (_: unknown, r: { impact: number }) => (
                <Form.Item name={['matrix', r.impact - 1, urgency - 1]} rules={[{ required: true }]} style={{ margin: 0 }}>
                  <Select style={{ width: 90 }} options={INCIDENT_PRIORITIES.map((p) => ({ value: p, label: p }))} data-testid={`matrix-${r.impact}-${urgency}`} />
                </Form.Item>
              ),
            })),
          ]}
          data-testid="matrix-table"
        />
        <Button type="primary" loading={saving} disabled={!config} onClick={() => void submit()} style={{ marginTop: 16 }} data-testid="matrix-save">
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}

interface SlaValues {
  sla: Record<IncidentPriority, SlaTarget>;
  businessHours: { range: [Dayjs, Dayjs] | null }[];
  pauseReasons: PauseReason[];
  reopenDays: number;
  warnPercent: number;
}

const time = (hhmm: string) => dayjs(`2000-01-01T${hhmm}`);

/** SLA per priority, 工作时间 windows (a lunch break is a gap), 挂起原因, 重开期限 and 预警比例. */
export function SlaForm({ config }: { config: IncidentConfig | undefined }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<SlaValues>();
  const { saving, run } = useSave(config);
  useEffect(() => {
    if (config) {
      form.setFieldsValue({
        sla: config.sla,
        businessHours: config.businessHours.map((w) => ({ range: [time(w.start), time(w.end)] })),
        pauseReasons: config.pauseReasons,
        reopenDays: config.reopenDays,
        warnPercent: Math.round(config.warnAt * 100),
      });
    }
  }, [config, form]);
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) {
      return;
    }
    const windows = v.businessHours.map((w) => ({ start: w.range?.[0]?.format('HH:mm') ?? '', end: w.range?.[1]?.format('HH:mm') ?? '' }));
    const bad = badWindow(windows);
    if (bad !== null) {
      form.setFields([{ name: ['businessHours', bad, 'range'], errors: [t('incidents.config.sla.windowOrder')] }]);
      return;
    }
    await run(form, (input) => ({
      ...input,
      sla: v.sla,
      businessHours: windows,
      pauseReasons: v.pauseReasons.map((r) => ({ code: r.code.trim(), nameZh: r.nameZh.trim(), nameEn: r.nameEn.trim(), pausesSla: Boolean(r.pausesSla) })),
      reopenDays: v.reopenDays,
      warnAt: v.warnPercent / 100,
    }));
  };
  return (
    <Form form={form} name="incident-sla" layout="vertical">
      <Flex vertical gap={16}>
        <Card variant="borderless" title={t('incidents.config.sla.targets')}>
          <Table
            rowKey="p"
            pagination={false}
            size="middle"
            dataSource={INCIDENT_PRIORITIES.map((p) => ({ p }))}
            columns={[
              { title: t('incidents.field.priority'), key: 'p', dataIndex: 'p', width: 90 },
              {
                title: t('incidents.config.sla.response'),
                key: 'response',
                render: (_, r) => (
                  <Form.Item name={['sla', r.p, 'responseMinutes']} rules={[{ required: true, type: 'integer', min: 1, max: 525_600 }]} style={{ margin: 0 }}>
                    <InputNumber min={1} max={525_600} precision={0} addonAfter={t('incidents.config.sla.minutes')} style={{ width: 170 }} data-testid={`sla-${r.p}-response`} />
                  </Form.Item>
                ),
              },
              {
                title: t('incidents.config.sla.resolution'),
                key: 'resolution',
                render: (_, r) => (
                  <Form.Item name={['sla', r.p, 'resolutionMinutes']} rules={[{ required: true, type: 'integer', min: 1, max: 525_600 }]} style={{ margin: 0 }}>
                    <InputNumber min={1} max={525_600} precision={0} addonAfter={t('incidents.config.sla.minutes')} style={{ width: 170 }} data-testid={`sla-${r.p}-resolution`} />
                  </Form.Item>
                ),
              },
              {
                title: t('incidents.config.sla.mode'),
                key: 'mode',
                render: (_, r) => (
                  <Form.Item name={['sla', r.p, 'mode']} rules={[{ required: true }]} style={{ margin: 0 }}>
                    <Select
                      style={{ width: 150 }}
                      options={[
                        { value: '24x7', label: t('incidents.sla.allHours') },
                        { value: 'business', label: t('incidents.sla.business') },
                      ]}
                    />
                  </Form.Item>
                ),
              },
            ]}
          />
        </Card>
        <Card variant="borderless" title={t('incidents.config.sla.hours')}>
          <Typography.Paragraph type="secondary">{t('incidents.config.sla.hoursHelp', { zone: config?.timeZone ?? '' })}</Typography.Paragraph>
          <Form.List name="businessHours">
            {(fields, { add, remove }) => (
              <Space direction="vertical">
                {fields.map((field, i) => (
                  <Space key={field.key} align="start">
                    <Form.Item name={[field.name, 'range']} rules={[{ required: true, message: t('incidents.config.sla.windowRequired') }]} style={{ marginBottom: 0 }}>
                      <TimePicker.RangePicker format="HH:mm" minuteStep={5} order={false} data-testid={`hours-${i}`} />
                    </Form.Item>
                    <Button type="text" icon={<MinusCircleOutlined />} disabled={fields.length <= 1} onClick={() => remove(field.name)} aria-label={t('common.delete')} />
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} disabled={fields.length >= 4} onClick={() => add({ range: null })}>
                  {t('incidents.config.sla.addWindow')}
                </Button>
              </Space>
            )}
          </Form.List>
        </Card>
        <Card variant="borderless" title={t('incidents.config.sla.pauseReasons')}>
          <Typography.Paragraph type="secondary">{t('incidents.config.sla.pauseHelp')}</Typography.Paragraph>
          <Form.List name="pauseReasons">
            {(fields, { add, remove }) => (
              <Space direction="vertical" style={{ width: '100%' }}>
                {fields.map((field) => (
                  <Space key={field.key} align="start" wrap>
                    <Form.Item name={[field.name, 'code']} rules={[{ required: true, pattern: /^[a-z][a-z0-9_.-]*$/, message: t('incidents.config.codeRule') }, { max: 40 }]} style={{ marginBottom: 0 }}>
                      <Input placeholder={t('incidents.config.code')} style={{ width: 150 }} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'nameZh']} rules={[{ required: true, whitespace: true }, { max: 60 }]} style={{ marginBottom: 0 }}>
                      <Input placeholder={t('incidents.config.nameZh')} style={{ width: 180 }} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'nameEn']} rules={[{ required: true, whitespace: true }, { max: 60 }]} style={{ marginBottom: 0 }}>
                      <Input placeholder={t('incidents.config.nameEn')} style={{ width: 260 }} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'pausesSla']} valuePropName="checked" style={{ marginBottom: 0 }}>
                      <Switch checkedChildren={t('incidents.config.sla.pausesSla')} unCheckedChildren={t('incidents.config.sla.keepsRunning')} />
                    </Form.Item>
                    <Button type="text" icon={<MinusCircleOutlined />} disabled={fields.length <= 1} onClick={() => remove(field.name)} aria-label={t('common.delete')} />
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} disabled={fields.length >= 20} onClick={() => add({ code: '', nameZh: '', nameEn: '', pausesSla: true })}>
                  {t('incidents.config.sla.addReason')}
                </Button>
              </Space>
            )}
          </Form.List>
        </Card>
        <Card variant="borderless" title={t('incidents.config.sla.other')}>
          <Space wrap size="large" align="start">
            <Form.Item name="reopenDays" label={t('incidents.config.sla.reopenDays')} extra={t('incidents.config.sla.reopenHelp')} rules={[{ required: true, type: 'integer', min: 0, max: 365 }]}>
              <InputNumber min={0} max={365} precision={0} addonAfter={t('common.unit.days')} style={{ width: 160 }} />
            </Form.Item>
            <Form.Item name="warnPercent" label={t('incidents.config.sla.warnAt')} extra={t('incidents.config.sla.warnHelp')} rules={[{ required: true, type: 'integer', min: 50, max: 95 }]}>
              <InputNumber min={50} max={95} precision={0} addonAfter="%" style={{ width: 140 }} />
            </Form.Item>
          </Space>
          <div>
            <Button type="primary" loading={saving} disabled={!config} onClick={() => void submit()} data-testid="sla-save">
              {t('common.save')}
            </Button>
          </div>
        </Card>
      </Flex>
    </Form>
  );
}
