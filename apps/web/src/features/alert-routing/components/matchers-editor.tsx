import { Button, Form, Input, Select, Space } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { MATCHER_OPS } from '@yunwei/contracts/alert-routing';

const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Form.List of label matchers (`name op value`); regexes are anchored on the server. */
export function MatchersEditor({ name = 'matchers', required = false }: { name?: string; required?: boolean }) {
  const { t } = useTranslation();
  return (
    <Form.List
      name={name}
      rules={required ? [{ validator: async (_, v: unknown[] | undefined) => (v?.length ? undefined : Promise.reject(new Error(t('alertRouting.validation.matchersRequired')))) }] : []}
    >
      {(fields, { add, remove }, { errors }) => (
        <>
          {fields.map((field) => (
            <Space key={field.key} align="baseline" style={{ display: 'flex' }} data-testid="matcher-row">
              <Form.Item name={[field.name, 'name']} rules={[{ required: true, pattern: LABEL_NAME, message: t('alertRouting.validation.labelName') }]}>
                <Input placeholder={t('alertRouting.matcher.name')} style={{ width: 160 }} data-testid="matcher-name" />
              </Form.Item>
              <Form.Item name={[field.name, 'op']} initialValue="=">
                <Select options={MATCHER_OPS.map((op) => ({ value: op, label: `${op}  ${t(`alertRouting.matcher.op.${op}`)}` }))} style={{ width: 150 }} popupMatchSelectWidth={false} />
              </Form.Item>
              <Form.Item name={[field.name, 'value']} initialValue="">
                <Input placeholder={t('alertRouting.matcher.value')} style={{ width: 200 }} data-testid="matcher-value" />
              </Form.Item>
              <MinusCircleOutlined onClick={() => remove(field.name)} aria-label={t('common.delete')} />
            </Space>
          ))}
          <Button type="dashed" onClick={() => add({ op: '=', value: '' })} icon={<PlusOutlined />} data-testid="matcher-add">
            {t('alertRouting.matcher.add')}
          </Button>
          <Form.ErrorList errors={errors} />
        </>
      )}
    </Form.List>
  );
}

/** Matchers as one line (`alertname="DiskFull", instance=~"db.*"`). */
export function matchersText(matchers: readonly { name: string; op: string; value: string }[]): string {
  return matchers.map((m) => `${m.name}${m.op}"${m.value}"`).join(', ');
}
