import { Button, Card, Col, Form, Input, InputNumber, Row, Select, Space } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ITEM_KINDS, OPERATORS, REDUCERS, HW_COMPONENTS, type InspectionTemplate, type InspectionTemplateCreate } from '@yunwei/contracts/inspections';
import { FormDrawer } from '../../../shared/components/form-drawer';
import { useSaveTemplate } from '../api/use-inspections';
import { SelectorInput } from '../../../shared/components/selector-input';
import { useSeededText } from '../../../shared/use-seeded-text';
import { ScopeFields } from './scope-fields';

const NEW_TEMPLATE = { scope: { kind: 'class', classCode: 'server' }, items: [{ key: 'item_1', name: '', kind: 'metric', reduce: 'last', operator: '<=' }] };

/** Creates or edits a template; every change of items or scope becomes a new version on the server. */
export function TemplateFormDrawer({ open, template, onClose }: { open: boolean; template: InspectionTemplate | null; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useSaveTemplate();
  const seeded = useSeededText();
  return (
    <FormDrawer<InspectionTemplateCreate, InspectionTemplate>
      open={open}
      editing={template !== null}
      title={t('inspections.template.create')}
      editTitle={template && t('inspections.template.editTitle', { name: seeded(template.name) })}
      name="template-form"
      testId="template-form"
      width={860}
      initialValues={template ? { name: template.name, description: template.description, scope: template.scope, items: template.items } : NEW_TEMPLATE}
      onSubmit={(values) => save.mutateAsync({ id: template?.id, body: values })}
      onClose={onClose}
    >
      <Form.Item name="name" label={t('inspections.field.name')} rules={[{ required: true }]}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="description" label={t('inspections.field.description')}>
        <Input.TextArea rows={2} maxLength={1000} />
      </Form.Item>
      <ScopeFields />
      <Form.List name="items">
        {(fields, { add, remove }) => (
          <Space orientation="vertical" style={{ width: '100%' }}>
            {fields.map((field) => (
              <ItemEditor key={field.key} name={field.name} onRemove={() => remove(field.name)} />
            ))}
            <Button icon={<PlusOutlined />} onClick={() => add({ key: `item_${fields.length + 1}`, name: '', kind: 'manual' })}>
              {t('inspections.template.addItem')}
            </Button>
          </Space>
        )}
      </Form.List>
    </FormDrawer>
  );
}

function ItemEditor({ name, onRemove }: { name: number; onRemove: () => void }) {
  const { t } = useTranslation();
  const kind = Form.useWatch(['items', name, 'kind']) as string | undefined;
  const opt = (values: readonly string[], prefix?: string) => values.map((v) => ({ value: v, label: prefix ? t(`${prefix}.${v}` as 'inspections.kind.metric') : v }));
  return (
    <Card size="small" extra={<Button type="text" danger icon={<DeleteOutlined />} onClick={onRemove} aria-label={t('common.delete')} />}>
      <Row gutter={8}>
        <Col span={5}>
          <Form.Item name={[name, 'key']} label={t('inspections.field.key')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
        </Col>
        <Col span={11}>
          <Form.Item name={[name, 'name']} label={t('inspections.field.itemName')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name={[name, 'kind']} label={t('inspections.field.kind')} rules={[{ required: true }]}>
            <Select options={opt(ITEM_KINDS, 'inspections.kind')} />
          </Form.Item>
        </Col>
      </Row>
      {(kind === 'metric' || kind === 'fresh') && (
        <Form.Item name={[name, 'selector']} label={t('inspections.field.selector')} rules={[{ required: true }]} extra={t('inspections.template.selectorHint')}>
          <SelectorInput placeholder='host_fs_usage_percent{mount="/"}' testId={`item-selector-${name}`} />
        </Form.Item>
      )}
      {kind === 'metric' && (
        <Row gutter={8}>
          <Col span={5}>
            <Form.Item name={[name, 'reduce']} label={t('inspections.field.reduce')}>
              <Select options={opt(REDUCERS)} />
            </Form.Item>
          </Col>
          <Col span={5}>
            <Form.Item name={[name, 'windowSeconds']} label={t('inspections.field.windowSeconds')}>
              <InputNumber min={15} style={{ width: '100%' }} placeholder="600" />
            </Form.Item>
          </Col>
          <Col span={4}>
            <Form.Item name={[name, 'operator']} label={t('inspections.field.operator')} rules={[{ required: true }]}>
              <Select options={opt(OPERATORS)} />
            </Form.Item>
          </Col>
          <Col span={4}>
            <Form.Item name={[name, 'limit']} label={t('inspections.field.limit')} rules={[{ required: true }]}>
              <InputNumber style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={2}>
            <Form.Item name={[name, 'unit']} label={t('inspections.field.unit')}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={4}>
            <Form.Item name={[name, 'availabilityComponent']} label={t('inspections.field.availability')}>
              <Select allowClear options={opt(HW_COMPONENTS)} />
            </Form.Item>
          </Col>
        </Row>
      )}
      {kind === 'check' && (
        <Form.Item name={[name, 'checkType']} label={t('inspections.field.checkType')} rules={[{ required: true }]}>
          <Select options={opt(['icmp', 'tcp', 'http', 'dns', 'snmp', 'postgres', 'mysql'])} />
        </Form.Item>
      )}
      {kind === 'fresh' && (
        <Form.Item name={[name, 'maxAgeSeconds']} label={t('inspections.field.maxAgeSeconds')} rules={[{ required: true }]}>
          <InputNumber min={1} />
        </Form.Item>
      )}
      {kind === 'manual' && (
        <Form.Item name={[name, 'guidance']} label={t('inspections.field.guidance')}>
          <Input.TextArea rows={2} />
        </Form.Item>
      )}
    </Card>
  );
}
