import { Form, InputNumber, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { COMPARISONS, REDUCERS, type RuleKind } from '@yunwei/contracts/alerting';
import { CHECK_TYPES } from '@yunwei/contracts/checks';
import { SelectorInput } from '../../../shared/components/selector-input';
import { CheckNames } from '../../checks/components/check-names';

const num = (width = 160) => ({ style: { width } });

/** The fields of one rule kind, named as the API names them (`spec.*`), so server errors land on them. */
export function RuleSpecFields({ kind }: { kind: RuleKind }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const reducer = Form.useWatch(['spec', 'reducer'], form);
  const subject = Form.useWatch(['spec', 'subject'], form);
  const required = (field: string) => [{ required: true, message: t('alerts.rule.required', { field }) }];
  const selector = (
    <Form.Item name={['spec', 'selector']} label={t('alerts.rule.selector')} extra={t('alerts.rule.selectorHelp')} rules={required(t('alerts.rule.selector'))}>
      <SelectorInput testId="rule-selector" />
    </Form.Item>
  );
  switch (kind) {
    case 'metric':
      return (
        <>
          {selector}
          <Space wrap>
            <Form.Item name={['spec', 'reducer']} label={t('alerts.rule.reducer')} rules={required(t('alerts.rule.reducer'))}>
              <Select options={REDUCERS.map((r) => ({ value: r, label: t(`alerts.reducer.${r}`) }))} {...num()} />
            </Form.Item>
            {reducer === 'percentile' && (
              <Form.Item name={['spec', 'percentile']} label={t('alerts.rule.percentile')} rules={required(t('alerts.rule.percentile'))}>
                <InputNumber min={0} max={100} {...num(100)} />
              </Form.Item>
            )}
            <Form.Item name={['spec', 'windowSeconds']} label={t('alerts.rule.window')} rules={required(t('alerts.rule.window'))}>
              <InputNumber min={1} max={86_400} suffix={t('alerts.unit.seconds')} {...num()} />
            </Form.Item>
            <Form.Item name={['spec', 'op']} label={t('alerts.rule.op')} rules={required(t('alerts.rule.op'))}>
              <Select options={COMPARISONS.map((o) => ({ value: o, label: o }))} {...num(90)} data-testid="rule-op" />
            </Form.Item>
          </Space>
          <Space wrap>
            <Form.Item name={['spec', 'thresholds', 'warning']} label={t('alerts.severity.warning')}>
              <InputNumber {...num(130)} data-testid="rule-warning" />
            </Form.Item>
            <Form.Item name={['spec', 'thresholds', 'critical']} label={t('alerts.severity.critical')}>
              <InputNumber {...num(130)} data-testid="rule-critical" />
            </Form.Item>
            <Form.Item name={['spec', 'recovery']} label={t('alerts.rule.recovery')} tooltip={t('alerts.rule.recoveryHelp')}>
              <InputNumber {...num(130)} />
            </Form.Item>
          </Space>
          <Space wrap>
            <Form.Item name={['spec', 'nOfM', 'n']} label={t('alerts.rule.nOfMn')} tooltip={t('alerts.rule.nOfMHelp')}>
              <InputNumber min={1} max={100} {...num(110)} />
            </Form.Item>
            <Form.Item name={['spec', 'nOfM', 'm']} label={t('alerts.rule.nOfMm')}>
              <InputNumber min={1} max={100} {...num(110)} />
            </Form.Item>
          </Space>
        </>
      );
    case 'check':
      return (
        <Space wrap>
          {/* A rule bound to chosen checks (a check's own rule) stays bound to them when saved here. */}
          <Form.Item name={['spec', 'checkIds']} label={t('checks.boundTo')}>
            <CheckNames />
          </Form.Item>
          <Form.Item name={['spec', 'checkType']} label={t('alerts.rule.checkType')}>
            <Select allowClear options={CHECK_TYPES.map((v) => ({ value: v, label: t(`checks.type.${v}`) }))} {...num()} />
          </Form.Item>
          <Form.Item name={['spec', 'consecutiveDown']} label={t('alerts.rule.consecutiveDown')} rules={required(t('alerts.rule.consecutiveDown'))}>
            <InputNumber min={1} max={100} {...num(120)} />
          </Form.Item>
          <Form.Item name={['spec', 'flapping', 'changes']} label={t('alerts.rule.flappingChanges')} tooltip={t('alerts.rule.flappingHelp')}>
            <InputNumber min={2} max={100} {...num(120)} />
          </Form.Item>
          <Form.Item name={['spec', 'flapping', 'window']} label={t('alerts.rule.flappingWindow')}>
            <InputNumber min={3} max={100} {...num(120)} />
          </Form.Item>
        </Space>
      );
    case 'absent':
      return (
        <>
          <Form.Item name={['spec', 'subject']} label={t('alerts.rule.subject')} rules={required(t('alerts.rule.subject'))}>
            <Select options={(['series', 'agent'] as const).map((v) => ({ value: v, label: t(`alerts.subject.${v}`) }))} {...num(200)} />
          </Form.Item>
          {subject !== 'agent' && selector}
        </>
      );
    case 'capacity':
      return (
        <>
          {selector}
          <Space wrap>
            <Form.Item name={['spec', 'op']} label={t('alerts.rule.op')} rules={required(t('alerts.rule.op'))}>
              <Select options={['>', '<'].map((o) => ({ value: o, label: o }))} {...num(90)} />
            </Form.Item>
            <Form.Item name={['spec', 'threshold']} label={t('alerts.rule.threshold')} rules={required(t('alerts.rule.threshold'))}>
              <InputNumber {...num(130)} />
            </Form.Item>
            <Form.Item name={['spec', 'horizonSeconds']} label={t('alerts.rule.horizon')} rules={required(t('alerts.rule.horizon'))}>
              <InputNumber min={60} suffix={t('alerts.unit.seconds')} {...num(170)} />
            </Form.Item>
            <Form.Item name={['spec', 'lookbackSeconds']} label={t('alerts.rule.lookback')} rules={required(t('alerts.rule.lookback'))}>
              <InputNumber min={3600} suffix={t('alerts.unit.seconds')} {...num(170)} />
            </Form.Item>
          </Space>
        </>
      );
    case 'baseline':
      return (
        <>
          {selector}
          <Space wrap>
            <Form.Item name={['spec', 'k']} label={t('alerts.rule.k')} rules={required('k')}>
              <InputNumber min={0.1} max={20} step={0.5} {...num(110)} />
            </Form.Item>
            <Form.Item name={['spec', 'minSamples']} label={t('alerts.rule.minSamples')} rules={required(t('alerts.rule.minSamples'))}>
              <InputNumber min={2} max={1000} {...num(130)} />
            </Form.Item>
            <Form.Item name={['spec', 'weeks']} label={t('alerts.rule.weeks')}>
              <InputNumber min={1} max={12} {...num(110)} />
            </Form.Item>
          </Space>
        </>
      );
  }
}

/** Defaults when the kind changes (what a new rule of that kind starts from). */
export const SPEC_DEFAULTS: Record<RuleKind, Record<string, unknown>> = {
  metric: { kind: 'metric', reducer: 'avg', windowSeconds: 300, op: '>', thresholds: {} },
  check: { kind: 'check', consecutiveDown: 3 },
  absent: { kind: 'absent', subject: 'series' },
  capacity: { kind: 'capacity', op: '>', threshold: 95, horizonSeconds: 7 * 86_400, lookbackSeconds: 3 * 86_400 },
  baseline: { kind: 'baseline', k: 3, minSamples: 3, weeks: 4 },
};
