import { Button, Card, DatePicker, Form, Input, InputNumber, Select, Space, TimePicker, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { ROTATION_APPLIES, ROTATION_UNITS, type OnCallUser, type RotationApplies, type RotationUnit } from '@yunwei/contracts/oncall';

export interface RotationValues {
  id?: string;
  name: string;
  members: string[];
  unit: RotationUnit;
  length: number;
  handoverTime: string;
  startDate: string;
  applies: RotationApplies;
  /** [start, end] `HH:mm`, or empty for the whole day. */
  window?: [string, string] | null;
}

/** The Monday on or before yesterday: a new weekly rotation has someone on call at once. */
function lastMonday(): string {
  const yesterday = dayjs().subtract(1, 'day');
  return yesterday.subtract((yesterday.day() + 6) % 7, 'day').format('YYYY-MM-DD');
}

export const newRotation = (name: string): RotationValues => ({ name, members: [], unit: 'weeks', length: 1, handoverTime: '09:00', startDate: lastMonday(), applies: 'all', window: null });

// The form keeps `HH:mm` and `YYYY-MM-DD` strings (what the API takes); the pickers see dayjs values.
const time = {
  getValueProps: (v: string | undefined) => ({ value: v ? dayjs(`2000-01-01T${v}`) : null }),
  normalize: (d: Dayjs | null) => d?.format('HH:mm') ?? null,
};
const date = {
  getValueProps: (v: string | undefined) => ({ value: v ? dayjs(v) : null }),
  normalize: (d: Dayjs | null) => d?.format('YYYY-MM-DD') ?? null,
};
const windowRange = {
  getValueProps: (v: [string, string] | null | undefined) => ({ value: v ? v.map((x) => dayjs(`2000-01-01T${x}`)) : null }),
  normalize: (d: [Dayjs, Dayjs] | null) => (d ? [d[0].format('HH:mm'), d[1].format('HH:mm')] : null),
};

/** The rotation editor: layers in order (a later layer wins where it applies). */
export function RotationFields({ candidates }: { candidates: OnCallUser[] }) {
  const { t } = useTranslation();
  const members = candidates.map((u) => ({ value: u.id, label: `${u.displayName} (${u.username})` }));
  const required = (field: string) => ({ required: true, message: t('oncall.validation.required', { field }) });
  return (
    <Form.List name="rotations">
      {(fields, { add, remove }) => (
        <Space orientation="vertical" style={{ width: '100%' }} size={12}>
          <Typography.Text type="secondary">{t('oncall.help.rotations')}</Typography.Text>
          {fields.map((field, index) => (
            <Card
              key={field.key}
              size="small"
              title={t('oncall.rotation.layer', { n: index + 1 })}
              extra={<Button type="text" danger size="small" icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t('common.delete')} />}
              data-testid={`rotation-${index}`}
            >
              <Form.Item name={[field.name, 'id']} hidden>
                <Input />
              </Form.Item>
              <Form.Item name={[field.name, 'name']} label={t('oncall.field.rotationName')} rules={[{ ...required(t('oncall.field.rotationName')), whitespace: true }, { max: 100 }]}>
                <Input data-testid={`rotation-${index}-name`} />
              </Form.Item>
              <Form.Item name={[field.name, 'members']} label={t('oncall.field.members')} extra={t('oncall.help.members')} rules={[{ ...required(t('oncall.field.members')), type: 'array', min: 1 }]}>
                <Select mode="multiple" options={members} optionFilterProp="label" data-testid={`rotation-${index}-members`} />
              </Form.Item>
              <Space wrap size="middle" align="start">
                <Form.Item label={t('oncall.field.turn')} required>
                  <Space.Compact>
                    <Form.Item name={[field.name, 'length']} noStyle rules={[{ required: true }]}>
                      <InputNumber min={1} max={365} precision={0} style={{ width: 80 }} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'unit']} noStyle>
                      <Select options={ROTATION_UNITS.map((u) => ({ value: u, label: t(`oncall.unit.${u}`) }))} style={{ width: 80 }} />
                    </Form.Item>
                  </Space.Compact>
                </Form.Item>
                <Form.Item name={[field.name, 'handoverTime']} label={t('oncall.field.handoverTime')} rules={[required(t('oncall.field.handoverTime'))]} {...time}>
                  <TimePicker format="HH:mm" minuteStep={5} allowClear={false} style={{ width: 110 }} />
                </Form.Item>
                <Form.Item name={[field.name, 'startDate']} label={t('oncall.field.startDate')} rules={[required(t('oncall.field.startDate'))]} {...date}>
                  <DatePicker allowClear={false} style={{ width: 140 }} />
                </Form.Item>
              </Space>
              <Space wrap size="middle" align="start">
                <Form.Item name={[field.name, 'applies']} label={t('oncall.field.applies')} tooltip={t('oncall.help.applies')}>
                  <Select options={ROTATION_APPLIES.map((a) => ({ value: a, label: t(`oncall.applies.${a}`) }))} style={{ width: 200 }} data-testid={`rotation-${index}-applies`} />
                </Form.Item>
                <Form.Item name={[field.name, 'window']} label={t('oncall.field.window')} tooltip={t('oncall.help.window')} {...windowRange}>
                  <TimePicker.RangePicker format="HH:mm" minuteStep={5} order={false} placeholder={[t('oncall.window.start'), t('oncall.window.end')]} style={{ width: 220 }} />
                </Form.Item>
              </Space>
            </Card>
          ))}
          <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add(newRotation(t('oncall.rotation.defaultName', { n: fields.length + 1 })))} data-testid="add-rotation">
            {t('oncall.rotation.add')}
          </Button>
        </Space>
      )}
    </Form.List>
  );
}
