import { Button, Flex, Form, Input, Segmented, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { StatusComponent } from '@yunwei/contracts/status-pages';
import { CheckPicker } from '../../checks/components/check-picker';
import { CiPicker } from '../../cmdb/components/ci-picker';

/** A component row of the form: what it is, which one, and the name visitors read. */
export interface ComponentValue {
  kind: 'check' | 'ci';
  ref?: string;
  name?: string;
}

/**
 * The list of components of a page: each a check or a CI picked by name, with the name visitors read
 * (empty: the check's or CI's own name when saved). Order is the page's order.
 */
export function ComponentsEditor({ known }: { known: readonly StatusComponent[] }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const checks = known.filter((c) => c.kind === 'check').map((c) => ({ id: c.refId, name: c.currentName ?? c.name }));
  const cis = known.filter((c) => c.kind === 'ci').map((c) => ({ id: c.refId, name: c.currentName ?? c.name, classCode: '' }));
  return (
    <Form.List name="components">
      {(fields, { add, remove, move }) => (
        <Flex vertical gap={8} data-testid="status-components">
          {fields.length === 0 && <Typography.Text type="secondary">{t('statusPage.component.empty')}</Typography.Text>}
          {fields.map((field, index) => (
            <Flex key={field.key} gap={8} align="flex-start" wrap style={{ padding: 8, background: '#fafafa', borderRadius: 6 }} data-testid={`status-component-row-${index}`}>
              <Form.Item name={[field.name, 'kind']} noStyle>
                <Segmented
                  size="small"
                  options={[
                    { value: 'check', label: t('statusPage.component.kind.check') },
                    { value: 'ci', label: t('statusPage.component.kind.ci') },
                  ]}
                  onChange={() => form.setFieldValue(['components', field.name, 'ref'], undefined)}
                />
              </Form.Item>
              <Form.Item noStyle shouldUpdate={(a, b) => a.components?.[field.name]?.kind !== b.components?.[field.name]?.kind}>
                {() => {
                  const kind = form.getFieldValue(['components', field.name, 'kind']) as ComponentValue['kind'];
                  return (
                    <Form.Item name={[field.name, 'ref']} rules={[{ required: true, message: t('statusPage.component.pickRequired') }]} style={{ flex: '1 1 220px', minWidth: 200, margin: 0 }}>
                      {kind === 'check' ? (
                        <CheckPicker known={checks} testId={`status-component-check-${index}`} />
                      ) : (
                        <CiPicker known={cis} testId={`status-component-ci-${index}`} />
                      )}
                    </Form.Item>
                  );
                }}
              </Form.Item>
              <Form.Item name={[field.name, 'name']} rules={[{ max: 100 }]} style={{ flex: '1 1 180px', minWidth: 160, margin: 0 }}>
                <Input placeholder={t('statusPage.component.namePlaceholder')} data-testid={`status-component-name-${index}`} />
              </Form.Item>
              <Flex gap={0}>
                <Button type="text" size="small" icon={<ArrowUpOutlined />} disabled={index === 0} onClick={() => move(index, index - 1)} aria-label={t('statusPage.component.up')} />
                <Button type="text" size="small" icon={<ArrowDownOutlined />} disabled={index === fields.length - 1} onClick={() => move(index, index + 1)} aria-label={t('statusPage.component.down')} />
                <Button type="text" size="small" danger icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t('common.delete')} />
              </Flex>
            </Flex>
          ))}
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ kind: 'check' })} data-testid="status-component-add">
            {t('statusPage.component.add')}
          </Button>
        </Flex>
      )}
    </Form.List>
  );
}
