import { useMemo, useState } from 'react';
import { Button } from 'antd';
import { AlertOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../../app/auth-context';
import { RuleFormDrawer } from './rule-form.drawer';

/** "新建告警规则" on a chart: the rule form, pre-filled with the chart's selector. */
export function CreateRuleFromChart({ chartId, selector, title }: { chartId: string; selector: string; title: string }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [open, setOpen] = useState(false);
  const draft = useMemo(() => ({ selector, name: title }), [selector, title]);
  if (!can('alerting.rule.write')) {
    return null;
  }
  return (
    <>
      <Button size="small" type="link" icon={<AlertOutlined />} onClick={() => setOpen(true)} data-testid={`create-rule-from-chart-${chartId}`}>
        {t('alerts.rule.fromChart')}
      </Button>
      {/* Mounted only while open: a host page has one such button per chart. */}
      {open && <RuleFormDrawer open rule={null} draft={draft} onClose={() => setOpen(false)} />}
    </>
  );
}
