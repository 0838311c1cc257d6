import { Button, DatePicker, Form, Input, Select, Space } from 'antd';
import { SearchOutlined, UndoOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { AuditFilters as Filters } from '../api/use-audit';

interface FormValues {
  range?: [Dayjs | null, Dayjs | null] | null;
  q?: string;
  actor?: string;
  action?: string;
  targetType?: string;
  outcome?: 'success' | 'failure';
}

/** The filter bar of the audit trail; empty fields are not sent. */
export function AuditFilters({ onSearch }: { onSearch: (filters: Filters) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();

  const submit = (values: FormValues) => {
    const text = (value?: string) => value?.trim() || undefined;
    onSearch({
      from: values.range?.[0]?.valueOf(),
      to: values.range?.[1]?.valueOf(),
      q: text(values.q),
      actor: text(values.actor),
      action: text(values.action),
      targetType: text(values.targetType),
      outcome: values.outcome,
    });
  };

  return (
    <Form form={form} layout="inline" onFinish={submit} name="audit-filters" style={{ rowGap: 12, marginBottom: 16 }}>
      <Form.Item name="range" label={t('audit.field.time')}>
        <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" allowEmpty={[true, true]} />
      </Form.Item>
      <Form.Item name="q">
        <Input allowClear placeholder={t('audit.placeholder.q')} style={{ width: 200 }} />
      </Form.Item>
      <Form.Item name="actor">
        <Input allowClear placeholder={t('audit.placeholder.actor')} style={{ width: 150 }} />
      </Form.Item>
      <Form.Item name="action">
        <Input allowClear placeholder={t('audit.placeholder.action')} style={{ width: 180 }} />
      </Form.Item>
      <Form.Item name="targetType">
        <Input allowClear placeholder={t('audit.placeholder.targetType')} style={{ width: 150 }} />
      </Form.Item>
      <Form.Item name="outcome">
        <Select
          allowClear
          placeholder={t('audit.field.outcome')}
          style={{ width: 120 }}
          options={[
            { value: 'success', label: t('audit.outcome.success') },
            { value: 'failure', label: t('audit.outcome.failure') },
          ]}
        />
      </Form.Item>
      <Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
            {t('common.search')}
          </Button>
          <Button
            icon={<UndoOutlined />}
            onClick={() => {
              form.resetFields();
              submit({});
            }}
          >
            {t('common.reset')}
          </Button>
        </Space>
      </Form.Item>
    </Form>
  );
}
