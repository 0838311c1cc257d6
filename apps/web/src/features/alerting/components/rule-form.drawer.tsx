import { Button, Collapse, Empty, Form, Input, InputNumber, Select, Space, Switch, Table, Typography } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { localized } from '../../../app/i18n';
import { useLanguage } from '../../../app/use-language';
import { RULE_KINDS, SEVERITIES, type Rule, type RuleCreate, type RuleKind, type RulePreview } from '@yunwei/contracts/alerting';
import { useCiClasses } from '../../cmdb/api/use-cmdb';
import { CiPicker } from '../../cmdb/components/ci-picker';
import { FormDrawer } from '../../../shared/components/form-drawer';
import { incidentOptionBody, incidentOptionValues, RuleIncidentFields, type RuleIncidentValues } from '../../incidents/alerts/rule-incident-fields';
import { applyServerErrors } from '../../../shared/form-errors';
import { readableLabels } from '../alert-labels';
import { usePreviewRule, useSaveRule } from '../api/use-alerting';
import { RuleSpecFields, SPEC_DEFAULTS } from './rule-spec-fields';
import { SeverityTag } from './severity-tag';

interface FormValues {
  name: string;
  nameEn?: string;
  description?: string;
  spec: Record<string, unknown> & { kind: RuleKind };
  severity: 'warning' | 'critical';
  forSeconds?: number;
  enabled: boolean;
  targetKind: 'all' | 'hosts' | 'class' | 'ci' | 'business';
  classId?: string;
  ciId?: string;
  annotations?: { zh: { summary?: string; description?: string }; en: { summary?: string; description?: string } };
  incident?: RuleIncidentValues;
}

/** The template variables (code, not prose: the same in every language). */
const TEMPLATE_HELP = ['$object', '$labels.ci_name', '$labels.check_name', '$labels.business_name', '$labels.instance', '$value', '$threshold', '$severity', '$rule', '$eta', '$reason'].map((v) => `{{ ${v} }}`).join('  ');

export interface RuleDraft {
  name?: string;
  selector?: string;
}

/** Drops what the form leaves empty (the API refuses nulls and half-filled pairs). */
function clean(value: unknown): unknown {
  if (Array.isArray(value) || value === null || typeof value !== 'object') {
    return value;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v !== undefined && v !== null && v !== '') {
      out[k] = clean(v);
    }
  }
  return out;
}

function toBody(values: FormValues): RuleCreate {
  const spec = clean(values.spec) as Record<string, unknown>;
  for (const pair of [['nOfM', 'n', 'm'], ['flapping', 'changes', 'window']] as const) {
    const p = spec[pair[0]] as Record<string, unknown> | undefined;
    if (p && (p[pair[1]] === undefined || p[pair[2]] === undefined)) {
      delete spec[pair[0]];
    }
  }
  if (spec.kind === 'metric') {
    spec.thresholds ??= {};
  }
  const target =
    values.targetKind === 'class'
      ? { kind: 'class' as const, classId: values.classId! }
      : values.targetKind === 'all' || values.targetKind === 'hosts'
        ? { kind: values.targetKind }
        : { kind: values.targetKind, ciId: values.ciId! };
  const a = values.annotations;
  const annotations = a && (a.zh.summary || a.en.summary) ? { zh: { summary: a.zh.summary ?? '', description: a.zh.description ?? '' }, en: { summary: a.en.summary ?? '', description: a.en.description ?? '' } } : undefined;
  return {
    name: values.name.trim(),
    nameEn: values.nameEn?.trim() || null,
    description: values.description ?? '',
    spec: spec as RuleCreate['spec'],
    severity: values.severity,
    forSeconds: values.forSeconds ?? 0,
    enabled: values.enabled,
    target,
    ...(annotations ? { annotations } : {}),
    incident: incidentOptionBody(values.incident),
  };
}

const NEW_RULE = { spec: SPEC_DEFAULTS.metric, severity: 'warning', forSeconds: 60, enabled: true, targetKind: 'all' } as const;

function toValues(rule: Rule): FormValues {
  const target = rule.target;
  return {
    name: rule.name,
    nameEn: rule.nameEn ?? undefined,
    description: rule.description,
    spec: rule.spec as FormValues['spec'],
    severity: rule.severity,
    forSeconds: rule.forSeconds,
    enabled: rule.enabled,
    targetKind: target.kind,
    classId: target.kind === 'class' ? target.classId : undefined,
    ciId: target.kind === 'ci' || target.kind === 'business' ? target.ciId : undefined,
    annotations: rule.annotations,
    incident: incidentOptionValues(rule.incident),
  };
}

/** Create or change an alert rule: kind-specific fields, target, templates, and a preview of what it would catch now. */
export function RuleFormDrawer({ open, rule, draft, onClose }: { open: boolean; rule: Rule | null; draft?: RuleDraft; onClose: () => void }) {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const [form] = Form.useForm<FormValues>();
  const kind = (Form.useWatch(['spec', 'kind'], form) ?? 'metric') as RuleKind;
  const targetKind = Form.useWatch('targetKind', form) ?? 'all';
  const save = useSaveRule();
  const preview = usePreviewRule();
  const classes = useCiClasses();

  const runPreview = async () => {
    const v = await form.validateFields().catch(() => null);
    if (v) {
      preview.mutate(toBody(v), { onError: (error) => applyServerErrors(form, error) });
    }
  };

  return (
    <FormDrawer<FormValues, Rule>
      open={open}
      editing={rule !== null}
      form={form}
      title={t('alerts.rule.createTitle')}
      editTitle={rule && t('alerts.rule.editTitle', { name: rule.name })}
      name="rule-form"
      testId="rule-form"
      width={720}
      initialValues={rule ? toValues(rule) : draft ? { ...NEW_RULE, name: draft.name, spec: { ...SPEC_DEFAULTS.metric, kind: 'metric', selector: draft.selector } } : NEW_RULE}
      onSubmit={(values) => save.mutateAsync({ id: rule?.id ?? null, body: toBody(values) })}
      success={t(rule ? 'common.saved' : 'alerts.rule.created')}
      // The next opening starts without the last rule's preview.
      onClose={() => {
        preview.reset();
        onClose();
      }}
      actions={
        <Button loading={preview.isPending} onClick={() => void runPreview()} data-testid="rule-preview">
          {t('alerts.rule.preview')}
        </Button>
      }
    >
      <Form.Item name="name" label={t('alerts.rule.name')} rules={[{ required: true, whitespace: true, message: t('alerts.rule.required', { field: t('alerts.rule.name') }) }, { max: 200 }]}>
        <Input data-testid="rule-name" />
      </Form.Item>
      <Form.Item name="nameEn" label={t('alerts.rule.nameEn')} extra={t('alerts.rule.nameEnHelp')} rules={[{ max: 200 }]}>
        <Input data-testid="rule-name-en" />
      </Form.Item>
      <Form.Item name={['spec', 'kind']} label={t('alerts.rule.kind')}>
        <Select
          options={RULE_KINDS.map((k) => ({ value: k, label: t(`alerts.kind.${k}`) }))}
          onChange={(k: RuleKind) => form.setFieldValue('spec', { ...SPEC_DEFAULTS[k], selector: form.getFieldValue(['spec', 'selector']) as unknown })}
          style={{ width: 240 }}
          data-testid="rule-kind"
        />
      </Form.Item>
      <RuleSpecFields kind={kind} />
      <Space wrap>
        {kind !== 'metric' && (
          <Form.Item name="severity" label={t('alerts.field.severity')}>
            <Select options={SEVERITIES.map((s) => ({ value: s, label: t(`alerts.severity.${s}`) }))} style={{ width: 130 }} />
          </Form.Item>
        )}
        <Form.Item name="forSeconds" label={t('alerts.rule.for')} tooltip={t('alerts.rule.forHelp')}>
          <InputNumber min={0} max={7 * 86_400} suffix={t('alerts.unit.seconds')} style={{ width: 160 }} data-testid="rule-for" />
        </Form.Item>
        <Form.Item name="enabled" label={t('alerts.rule.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Space>
      <Space wrap align="start">
        <Form.Item name="targetKind" label={t('alerts.rule.target')} extra={targetKind === 'hosts' ? t('alerts.target.hostsHelp') : undefined}>
          <Select options={(['all', 'hosts', 'class', 'ci', 'business'] as const).map((k) => ({ value: k, label: t(`alerts.target.${k}`) }))} style={{ width: 170 }} />
        </Form.Item>
        {targetKind === 'class' && (
          <Form.Item name="classId" label={t('alerts.target.class')} rules={[{ required: true, message: t('alerts.rule.required', { field: t('alerts.target.class') }) }]}>
            <Select showSearch optionFilterProp="label" options={(classes.data ?? []).map((c) => ({ value: c.id, label: localized(c.name, language) }))} style={{ width: 220 }} />
          </Form.Item>
        )}
        {(targetKind === 'ci' || targetKind === 'business') && (
          <Form.Item name="ciId" label={t(`alerts.target.${targetKind}`)} rules={[{ required: true, message: t('alerts.rule.required', { field: t(`alerts.target.${targetKind}`) }) }]}>
            <CiPicker />
          </Form.Item>
        )}
      </Space>
      <RuleIncidentFields />
      <Collapse
        size="small"
        items={[
          {
            key: 'annotations',
            label: t('alerts.rule.annotations'),
            children: (
              <>
                <Typography.Paragraph type="secondary">{t('alerts.rule.annotationsHelp', { vars: TEMPLATE_HELP, interpolation: { escapeValue: false } })}</Typography.Paragraph>
                {(['zh', 'en'] as const).map((lang) => (
                  <Space key={lang} orientation="vertical" style={{ width: '100%' }}>
                    <Form.Item name={['annotations', lang, 'summary']} label={t(`alerts.rule.summary.${lang}`)}>
                      <Input />
                    </Form.Item>
                    <Form.Item name={['annotations', lang, 'description']} label={t(`alerts.rule.description.${lang}`)}>
                      <Input.TextArea rows={2} />
                    </Form.Item>
                  </Space>
                ))}
              </>
            ),
          },
        ]}
      />
      {preview.data && <PreviewTable preview={preview.data} />}
    </FormDrawer>
  );
}

function PreviewTable({ preview }: { preview: RulePreview }) {
  const { t } = useTranslation();
  return (
    <div style={{ marginTop: 16 }} data-testid="rule-preview-table">
      <Typography.Title level={5}>{t('alerts.rule.previewTitle', { count: preview.items.filter((i) => i.severity).length, series: preview.series })}</Typography.Title>
      <Table
        size="small"
        rowKey={(r) => JSON.stringify(r.labels)}
        pagination={false}
        dataSource={preview.items}
        locale={{
          // Nothing matched the selector: where to see which series exist (a new tab: the form stays open).
          emptyText: (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('alerts.rule.previewEmpty')} data-testid="rule-preview-empty">
              <Link to="/monitoring/latest" target="_blank" rel="noopener">
                {t('nav.items.monitoringLatest')}
              </Link>
            </Empty>
          ),
        }}
        columns={[
          { title: t('alerts.field.object'), dataIndex: 'object', width: 200, render: (object: string) => object || t('common.empty') },
          { title: t('alerts.field.labels'), dataIndex: 'labels', render: (labels: Record<string, string>) => readableLabels(labels).filter((l) => !l.startsWith('alertname=')).join(', ') },
          { title: t('alerts.field.value'), dataIndex: 'value', width: 110, render: (v: number | null) => (v === null ? t('common.empty') : Number(v.toPrecision(6))) },
          { title: t('alerts.field.severity'), dataIndex: 'severity', width: 110, render: (s: 'warning' | 'critical' | null) => (s ? <SeverityTag severity={s} /> : <Typography.Text type="secondary">{t('alerts.rule.noBreach')}</Typography.Text>) },
        ]}
      />
    </div>
  );
}
