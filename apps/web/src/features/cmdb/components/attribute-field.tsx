import { DatePicker, Form, Input, InputNumber, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { AttributeDefinition } from '@yunwei/contracts/cmdb';
import { localized } from '../../../app/i18n';
import { useLanguage } from '../../../app/use-language';

/** One form control for a class's attribute definition, typed and (when required) mandatory. */
export function AttributeField({ attribute }: { attribute: AttributeDefinition }) {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const label = localized(attribute.label, language);
  const rules = attribute.required ? [{ required: true, message: t('cmdb.ci.validation.attributeRequired', { label }) }] : [];
  const name = ['attributes', attribute.key];
  const tooltip = `${t(`cmdb.attributeType.${attribute.type}`)} · ${attribute.key}`;

  switch (attribute.type) {
    case 'string':
      return (
        <Form.Item name={name} label={label} tooltip={tooltip} rules={[...rules, { max: 2000, message: t('common.validation.maxLength', { max: 2000 }) }]}>
          <Input allowClear />
        </Form.Item>
      );
    case 'number':
      return (
        <Form.Item name={name} label={label} tooltip={tooltip} rules={rules}>
          <InputNumber style={{ width: '100%' }} />
        </Form.Item>
      );
    case 'boolean':
      return (
        <Form.Item name={name} label={label} tooltip={tooltip} rules={rules}>
          <Select
            allowClear
            placeholder={t('cmdb.ci.booleanPlaceholder')}
            options={[
              { value: true, label: t('cmdb.yes') },
              { value: false, label: t('cmdb.no') },
            ]}
          />
        </Form.Item>
      );
    case 'date':
      return (
        <Form.Item
          name={name}
          label={label}
          tooltip={tooltip}
          rules={rules}
          // The API stores dates as YYYY-MM-DD text; the picker works with dayjs.
          getValueProps={(value: unknown) => ({ value: typeof value === 'string' && value ? dayjs(value) : undefined })}
          normalize={(value: Dayjs | null) => (value ? value.format('YYYY-MM-DD') : null)}
        >
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      );
    case 'enum':
      return (
        <Form.Item name={name} label={label} tooltip={tooltip} rules={rules}>
          <Select allowClear options={attribute.options.map((o) => ({ value: o, label: o }))} />
        </Form.Item>
      );
  }
}
