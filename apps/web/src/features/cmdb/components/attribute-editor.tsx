import { Button, Card, Checkbox, Flex, Form, Input, Select, Space, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ATTRIBUTE_TYPES, KEY_PATTERN } from '../cmdb-meta';

/** The attribute definitions of a class (Form.List `attributes`): key, zh/en label, type, options, required. */
export function AttributeEditor({ disabled }: { disabled: boolean }) {
  const { t } = useTranslation();
  return (
    <Form.List name="attributes">
      {(fields, { add, remove }) => (
        <Flex vertical gap={12}>
          {fields.length === 0 && <Typography.Text type="secondary">{t('cmdb.class.noAttributes')}</Typography.Text>}
          {fields.map((field, index) => (
            <Card
              key={field.key}
              size="small"
              title={t('cmdb.class.attributeN', { n: index + 1 })}
              extra={!disabled && <Button type="text" danger size="small" icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t('common.delete')} />}
            >
              <Space.Compact block style={{ gap: 8 }}>
                <Form.Item
                  name={[field.name, 'key']}
                  label={t('cmdb.class.field.key')}
                  style={{ flex: 1 }}
                  rules={[
                    { required: true, message: t('cmdb.class.validation.keyRequired') },
                    { pattern: KEY_PATTERN, message: t('cmdb.class.validation.keyPattern') },
                  ]}
                >
                  <Input disabled={disabled} placeholder="rack_no" />
                </Form.Item>
                <Form.Item name={[field.name, 'type']} label={t('cmdb.class.field.type')} style={{ width: 130 }} rules={[{ required: true }]}>
                  <Select disabled={disabled} options={ATTRIBUTE_TYPES.map((type) => ({ value: type, label: t(`cmdb.attributeType.${type}`) }))} />
                </Form.Item>
              </Space.Compact>
              <Space.Compact block style={{ gap: 8 }}>
                <Form.Item name={[field.name, 'label', 'zh']} label={t('cmdb.class.field.labelZh')} style={{ flex: 1 }} rules={[{ required: true, whitespace: true, message: t('cmdb.class.validation.labelRequired') }]}>
                  <Input disabled={disabled} placeholder="机柜编号" />
                </Form.Item>
                <Form.Item name={[field.name, 'label', 'en']} label={t('cmdb.class.field.labelEn')} style={{ flex: 1 }} rules={[{ required: true, whitespace: true, message: t('cmdb.class.validation.labelRequired') }]}>
                  <Input disabled={disabled} placeholder="Rack no." />
                </Form.Item>
              </Space.Compact>
              <Form.Item noStyle shouldUpdate>
                {({ getFieldValue }) =>
                  getFieldValue(['attributes', field.name, 'type']) === 'enum' && (
                    <Form.Item
                      name={[field.name, 'options']}
                      label={t('cmdb.class.field.options')}
                      tooltip={t('cmdb.class.help.options')}
                      rules={[{ required: true, type: 'array', min: 1, message: t('cmdb.class.validation.optionsRequired') }]}
                    >
                      <Select mode="tags" disabled={disabled} tokenSeparators={[',', '，']} open={false} placeholder={t('cmdb.class.optionsPlaceholder')} />
                    </Form.Item>
                  )
                }
              </Form.Item>
              <Form.Item name={[field.name, 'required']} valuePropName="checked" style={{ marginBottom: 0 }}>
                <Checkbox disabled={disabled}>{t('cmdb.class.field.required')}</Checkbox>
              </Form.Item>
            </Card>
          ))}
          {!disabled && (
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ type: 'string', required: false, label: { zh: '', en: '' } })} block data-testid="class-add-attribute">
              {t('cmdb.class.addAttribute')}
            </Button>
          )}
        </Flex>
      )}
    </Form.List>
  );
}
