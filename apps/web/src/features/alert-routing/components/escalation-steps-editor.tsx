import { Button, Card, Form, InputNumber, Select, Space } from 'antd';
import { DeleteOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { EscalationTarget } from '@yunwei/contracts/alert-routing';
import { useChannels } from '../../notify/api/use-notify';
import { useSchedules } from '../../oncall/api/use-oncall';
import { useUsers } from '../../identity/api/use-users';

const TARGET_TYPES: EscalationTarget['type'][] = ['channel', 'user', 'oncall'];

/** One target: what kind (a channel, a person, whoever is on call) and through which channel. */
function TargetRow({ step, index, onRemove }: { step: number; index: number; onRemove: () => void }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const type = (Form.useWatch(['steps', step, 'targets', index, 'type'], form) as EscalationTarget['type'] | undefined) ?? 'channel';
  const channels = useChannels();
  const users = useUsers({ limit: 500, status: 'active' });
  const schedules = useSchedules();
  const required = { required: true, message: t('alertRouting.validation.required') };
  return (
    <Space align="baseline" wrap data-testid="escalation-target">
      <Form.Item name={[index, 'type']} initialValue="channel">
        <Select options={TARGET_TYPES.map((v) => ({ value: v, label: t(`alertRouting.escalation.target.${v}`) }))} style={{ width: 130 }} />
      </Form.Item>
      {type === 'user' && (
        <Form.Item name={[index, 'userId']} rules={[required]}>
          <Select showSearch optionFilterProp="label" placeholder={t('alertRouting.escalation.target.user')} options={(users.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.displayName} (${u.username})` }))} style={{ width: 200 }} />
        </Form.Item>
      )}
      {type === 'oncall' && (
        <Form.Item name={[index, 'scheduleId']} rules={[required]}>
          <Select placeholder={t('alertRouting.escalation.target.oncall')} options={(schedules.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))} style={{ width: 200 }} />
        </Form.Item>
      )}
      <Form.Item name={[index, 'channelId']} rules={[required]}>
        <Select placeholder={t('alertRouting.escalation.channel')} options={(channels.data ?? []).map((c) => ({ value: c.id, label: c.name }))} style={{ width: 200 }} data-testid="escalation-channel" />
      </Form.Item>
      <MinusCircleOutlined onClick={onRemove} aria-label={t('common.delete')} />
    </Space>
  );
}

/** Steps: "after N minutes unacknowledged, notify these targets"; step 1 usually at 0 minutes. */
export function EscalationStepsEditor() {
  const { t } = useTranslation();
  return (
    <Form.List name="steps">
      {(steps, { add, remove }) => (
        <Space orientation="vertical" style={{ width: '100%' }}>
          {steps.map((step, i) => (
            <Card
              key={step.key}
              size="small"
              title={t('alertRouting.escalation.step', { n: i + 1 })}
              extra={steps.length > 1 && <Button type="text" size="small" icon={<DeleteOutlined />} onClick={() => remove(step.name)} aria-label={t('common.delete')} />}
              data-testid="escalation-step"
            >
              <Form.Item name={[step.name, 'afterMinutes']} label={t('alertRouting.escalation.afterMinutes')} rules={[{ required: true, message: t('alertRouting.validation.required') }]}>
                <InputNumber min={0} max={10_080} precision={0} suffix={t('alertRouting.unit.minutes')} style={{ width: 160 }} />
              </Form.Item>
              <Form.List name={[step.name, 'targets']}>
                {(targets, ops) => (
                  <>
                    {targets.map((target) => (
                      <TargetRow key={target.key} step={step.name} index={target.name} onRemove={() => ops.remove(target.name)} />
                    ))}
                    <Button type="dashed" size="small" icon={<PlusOutlined />} onClick={() => ops.add({ type: 'channel' })}>
                      {t('alertRouting.escalation.addTarget')}
                    </Button>
                  </>
                )}
              </Form.List>
            </Card>
          ))}
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ afterMinutes: (steps.length ? 15 * steps.length : 0), targets: [{ type: 'channel' }] })} data-testid="escalation-add-step">
            {t('alertRouting.escalation.addStep')}
          </Button>
        </Space>
      )}
    </Form.List>
  );
}
