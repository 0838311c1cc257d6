import { Alert, Button, Divider, Flex, Form, Input, Space } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { AttributeDefinitionInput, CiClass, CiClassCreate } from '@yunwei/contracts/cmdb';
import { localized } from '../../../app/i18n';
import { useLanguage } from '../../../app/use-language';
import { FormDrawer } from '../../../shared/components/form-drawer';
import { useCreateClass, useUpdateClass } from '../api/use-cmdb';
import { CLASS_CODE_PATTERN, KEY_PATTERN } from '../cmdb-meta';
import { AttributeEditor } from './attribute-editor';

interface FormValues {
  code: string;
  name: { zh: string; en: string };
  description?: string;
  subtypes?: { key: string; name: { zh: string; en: string } }[];
  attributes?: AttributeDefinitionInput[];
}

interface ClassFormDrawerProps {
  open: boolean;
  /** null = create; a built-in class is shown read-only. */
  cls: CiClass | null;
  readOnly: boolean;
  onClose: () => void;
}

/** The values as the API wants them: text trimmed, options only for enum attributes. */
function toBody(values: FormValues): Omit<CiClassCreate, 'code'> {
  return {
    name: { zh: values.name.zh.trim(), en: values.name.en.trim() },
    description: values.description ?? '',
    subtypes: (values.subtypes ?? []).map((s) => ({ key: s.key.trim(), name: { zh: s.name.zh.trim(), en: s.name.en.trim() } })),
    attributes: (values.attributes ?? []).map((a) => ({
      key: a.key.trim(),
      label: { zh: a.label.zh.trim(), en: a.label.en.trim() },
      type: a.type,
      required: Boolean(a.required),
      ...(a.type === 'enum' ? { options: (a.options ?? []).map((o) => o.trim()).filter(Boolean) } : {}),
    })),
  };
}

/** Create, edit or (built-in / no permission) view a CI class with its subtypes and attributes. */
export function ClassFormDrawer({ open, cls, readOnly, onClose }: ClassFormDrawerProps) {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const create = useCreateClass();
  const update = useUpdateClass();

  const submit = (values: FormValues): Promise<CiClass> => {
    if (cls) {
      return update.mutateAsync({ id: cls.id, body: toBody(values) });
    }
    return create.mutateAsync({ ...toBody(values), code: values.code.trim() });
  };

  const name = cls ? localized(cls.name, language) : '';
  return (
    <FormDrawer<FormValues, CiClass>
      open={open}
      editing={Boolean(cls)}
      readOnly={readOnly}
      name="class-form"
      testId="class-form"
      width={640}
      title={t('cmdb.class.createTitle')}
      editTitle={t(readOnly ? 'cmdb.class.viewTitle' : 'cmdb.class.editTitle', { name })}
      initialValues={cls ? { code: cls.code, name: cls.name, description: cls.description, subtypes: cls.subtypes, attributes: cls.attributes } : {}}
      onSubmit={submit}
      onClose={onClose}
    >
      {cls?.builtin && <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('cmdb.class.builtinReadOnly')} />}
      {cls && !cls.builtin && cls.ciCount > 0 && !readOnly && <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('cmdb.class.changeWarning', { count: cls.ciCount })} />}
      <Form.Item
        name="code"
        label={t('cmdb.class.field.code')}
        tooltip={t('cmdb.class.help.code')}
        rules={[
          { required: true, message: t('cmdb.class.validation.codeRequired') },
          { pattern: CLASS_CODE_PATTERN, message: t('cmdb.class.validation.codePattern') },
        ]}
      >
        <Input disabled={Boolean(cls)} placeholder="ups" />
      </Form.Item>
      <Space.Compact block style={{ gap: 8 }}>
        <Form.Item name={['name', 'zh']} label={t('cmdb.class.field.nameZh')} style={{ flex: 1 }} rules={[{ required: true, whitespace: true, message: t('cmdb.class.validation.nameRequired') }, { max: 64 }]}>
          <Input placeholder="UPS 电源" />
        </Form.Item>
        <Form.Item name={['name', 'en']} label={t('cmdb.class.field.nameEn')} style={{ flex: 1 }} rules={[{ required: true, whitespace: true, message: t('cmdb.class.validation.nameRequired') }, { max: 64 }]}>
          <Input placeholder="UPS" />
        </Form.Item>
      </Space.Compact>
      <Form.Item name="description" label={t('cmdb.class.field.description')}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} />
      </Form.Item>
      <Divider titlePlacement="start" plain>
        {t('cmdb.class.subtypes')}
      </Divider>
      <Form.List name="subtypes">
        {(fields, { add, remove }) => (
          <Flex vertical gap={4}>
            {fields.map((field) => (
              <Space.Compact key={field.key} block style={{ gap: 8 }}>
                <Form.Item name={[field.name, 'key']} style={{ width: 150 }} rules={[{ required: true, message: t('cmdb.class.validation.keyRequired') }, { pattern: KEY_PATTERN, message: t('cmdb.class.validation.keyPattern') }]}>
                  <Input placeholder={t('cmdb.class.field.key')} />
                </Form.Item>
                <Form.Item name={[field.name, 'name', 'zh']} style={{ flex: 1 }} rules={[{ required: true, whitespace: true, message: t('cmdb.class.validation.nameRequired') }]}>
                  <Input placeholder={t('cmdb.class.field.nameZh')} />
                </Form.Item>
                <Form.Item name={[field.name, 'name', 'en']} style={{ flex: 1 }} rules={[{ required: true, whitespace: true, message: t('cmdb.class.validation.nameRequired') }]}>
                  <Input placeholder={t('cmdb.class.field.nameEn')} />
                </Form.Item>
                {!readOnly && <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t('common.delete')} />}
              </Space.Compact>
            ))}
            {!readOnly && (
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ key: '', name: { zh: '', en: '' } })}>
                {t('cmdb.class.addSubtype')}
              </Button>
            )}
            {readOnly && fields.length === 0 && <span>{t('common.empty')}</span>}
          </Flex>
        )}
      </Form.List>
      <Divider titlePlacement="start" plain>
        {t('cmdb.class.attributes')}
      </Divider>
      <AttributeEditor disabled={readOnly} />
    </FormDrawer>
  );
}
