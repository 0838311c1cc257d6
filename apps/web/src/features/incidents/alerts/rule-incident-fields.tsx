import { Form, Select, Space, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { RuleIncidentOption } from '@yunwei/contracts/incident-alerts';
import { INCIDENT_LEVELS } from '@yunwei/contracts/incidents';
import { useIncidentOptions } from '../api/use-incidents';

/** What the rule form holds for the option (undefined selects: the server's defaults). */
export interface RuleIncidentValues {
  open?: boolean;
  typeId?: string | null;
  natureId?: string | null;
  impact?: 1 | 2 | 3 | null;
  urgency?: 1 | 2 | 3 | null;
}

export function incidentOptionValues(option: RuleIncidentOption | null | undefined): RuleIncidentValues {
  return option ? { ...option } : { open: false };
}

/** The body's `incident`: null when off; empty choices left out (type: the suggested one; impact/urgency: from the severity). */
export function incidentOptionBody(values: RuleIncidentValues | undefined): RuleIncidentOption | null {
  if (!values?.open) {
    return null;
  }
  return {
    open: true,
    ...(values.typeId ? { typeId: values.typeId } : {}),
    ...(values.natureId ? { natureId: values.natureId } : {}),
    ...(values.impact ? { impact: values.impact } : {}),
    ...(values.urgency ? { urgency: values.urgency } : {}),
  };
}

/** 自动创建故障: the switch and, when on, the type, nature, impact and urgency of the incidents the rule's alerts open. */
export function RuleIncidentFields() {
  const { t } = useTranslation();
  const open = Form.useWatch(['incident', 'open']) as boolean | undefined;
  const options = useIncidentOptions(Boolean(open));
  const levels = INCIDENT_LEVELS.map((l) => ({ value: l, label: t(`incidentAlerts.level.${l}`) }));
  return (
    <div data-testid="rule-incident">
      <Form.Item name={['incident', 'open']} label={t('incidentAlerts.open')} valuePropName="checked" extra={t('incidentAlerts.openHelp')}>
        <Switch data-testid="rule-incident-open" />
      </Form.Item>
      {open && (
        <>
          <Space wrap align="start">
            <Form.Item name={['incident', 'typeId']} label={t('incidents.field.type')}>
              <Select allowClear showSearch optionFilterProp="label" placeholder={t('incidentAlerts.typeSuggested')} options={(options.data?.types ?? []).filter((x) => x.enabled).map((x) => ({ value: x.id, label: x.path }))} style={{ width: 240 }} data-testid="rule-incident-type" />
            </Form.Item>
            <Form.Item name={['incident', 'natureId']} label={t('incidents.field.nature')}>
              <Select allowClear placeholder={t('incidentAlerts.natureLater')} options={(options.data?.natures ?? []).filter((x) => x.enabled).map((x) => ({ value: x.id, label: x.name }))} style={{ width: 200 }} data-testid="rule-incident-nature" />
            </Form.Item>
          </Space>
          <Space wrap align="start">
            <Form.Item name={['incident', 'impact']} label={t('incidents.field.impact')}>
              <Select allowClear placeholder={t('incidentAlerts.fromSeverity')} options={levels} style={{ width: 170 }} data-testid="rule-incident-impact" />
            </Form.Item>
            <Form.Item name={['incident', 'urgency']} label={t('incidents.field.urgency')}>
              <Select allowClear placeholder={t('incidentAlerts.fromSeverity')} options={levels} style={{ width: 170 }} data-testid="rule-incident-urgency" />
            </Form.Item>
          </Space>
          <Typography.Paragraph type="secondary">{t('incidentAlerts.groupHelp')}</Typography.Paragraph>
        </>
      )}
    </div>
  );
}
