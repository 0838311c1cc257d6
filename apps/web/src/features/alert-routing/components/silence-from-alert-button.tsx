import { useMemo, useState } from 'react';
import { Button, type ButtonProps } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Matcher } from '@yunwei/contracts/alert-routing';
import type { CiRef } from '@yunwei/contracts/cmdb';
import { useAuth } from '../../../app/auth-context';
import { useIsPhone } from '../../../shared/use-is-phone';
import { QuickSilenceDrawer } from './quick-silence.drawer';
import { SilenceFormDrawer } from './silence-form.drawer';

/** Labels that identify an alert's source; value-like labels (severity, rule id) are left out. */
const IDENTIFYING = ['alertname', 'ci', 'instance', 'job', 'mountpoint', 'device', 'check'];

/**
 * "静默" for one alert: opens the silence form with matchers taken from the alert's labels (alertname
 * plus what identifies its source). For the alert list and drawer of the alerting feature. On a phone,
 * the short form from the bottom of the screen (how long, why).
 */
export function SilenceFromAlertButton({ labels, ...button }: { labels: Readonly<Record<string, string>> } & Omit<ButtonProps, 'onClick'>) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [open, setOpen] = useState(false);
  const phone = useIsPhone();
  const matchers = useMemo<Matcher[]>(() => IDENTIFYING.filter((name) => labels[name]).map((name) => ({ name, op: '=', value: labels[name]! })), [labels]);
  const knownCis = useMemo<CiRef[]>(() => (labels.ci ? [{ id: labels.ci, name: labels.ci_name || labels.ci, classCode: '' }] : []), [labels]);
  if (!can('alerting.silence.write')) {
    return null;
  }
  return (
    <>
      <Button icon={<BellOutlined />} onClick={() => setOpen(true)} data-testid="silence-from-alert" {...button}>
        {t('alertRouting.silence.fromAlert')}
      </Button>
      {phone ? (
        <QuickSilenceDrawer open={open} labels={labels} matchers={matchers} onClose={() => setOpen(false)} />
      ) : (
        <SilenceFormDrawer open={open} initialMatchers={matchers} knownCis={knownCis} onClose={() => setOpen(false)} />
      )}
    </>
  );
}
