import { useEffect, useState } from 'react';
import { Button, Col, Form, Input, InputNumber, Modal, Row, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../app/api-client';
import { AGGREGATIONS } from '@yunwei/contracts/monitoring';
import { PANEL_TYPES, PANEL_UNITS, type Panel } from '@yunwei/contracts/dashboards';
import type { TimeWindow } from '../time-range';
import { SelectorInput } from '../../../shared/components/selector-input';
import { PanelView } from './panel-view';

interface FormValues {
  title: string;
  type: Panel['type'];
  selector: string;
  agg?: Panel['query']['agg'];
  step?: string;
  unit?: Panel['unit'];
  max?: number;
  w: number;
  h: number;
}

/** Where the server's `body.panels.<i>.<path>` errors go in this form: `query.selector` → `selector`, `grid.w` → `w`. */
function panelFieldErrors(error: unknown): { name: keyof FormValues; errors: string[] }[] {
  if (!(error instanceof ApiError)) {
    return [];
  }
  return (error.details?.fields ?? []).flatMap(({ field, message }) => {
    const path = /^body\.panels\.\d+\.(.+)$/.exec(field)?.[1];
    const name = path?.replace(/^(query|grid)\./, '') as keyof FormValues | undefined;
    return name ? [{ name, errors: [message] }] : [];
  });
}

/**
 * Adds or changes a panel; "preview" runs the query as the panel will. `serverError`: the dashboard's
 * save refused this panel; its field errors are shown on the fields.
 */
export function PanelEditorModal({ panel, window, open, serverError, onClose, onSave }: { panel: Panel | null; window: TimeWindow; open: boolean; serverError?: unknown; onClose: () => void; onSave: (p: Panel) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const [preview, setPreview] = useState<Panel | null>(null);

  useEffect(() => {
    if (open) {
      form.setFieldsValue(
        panel
          ? { title: panel.title, type: panel.type, selector: panel.query.selector, agg: panel.query.agg, step: panel.query.step, unit: panel.unit, max: panel.max, w: panel.grid.w, h: panel.grid.h }
          : ({ title: '', type: 'line', selector: '', agg: 'avg', unit: 'none', w: 6, h: 4 } satisfies FormValues),
      );
      setPreview(null);
    }
  }, [open, panel, form]);

  const build = (v: FormValues): Panel => ({
    id: panel?.id ?? `p${Date.now().toString(36)}`,
    title: v.title.trim(),
    type: v.type,
    query: { selector: v.selector.trim(), ...(v.agg ? { agg: v.agg } : {}), ...(v.step ? { step: v.step.trim() } : {}) },
    grid: { x: Math.min(panel?.grid.x ?? 0, 12 - v.w), y: panel?.grid.y ?? 1000, w: v.w, h: v.h },
    ...(v.unit ? { unit: v.unit } : {}),
    ...(v.max !== undefined && v.max !== null ? { max: v.max } : {}),
  });

  return (
    <Modal
      open={open}
      width={880}
      title={panel ? t('monitoring.panel.edit') : t('monitoring.panel.add')}
      onCancel={onClose}
      // The fields exist once the modal has opened: only then can they take the server's errors.
      afterOpenChange={(visible) => visible && form.setFields(panelFieldErrors(serverError))}
      destroyOnHidden
      footer={[
        <Button key="preview" onClick={() => void form.validateFields().then((v) => setPreview(build(v)))} data-testid="panel-preview-button">
          {t('monitoring.panel.preview')}
        </Button>,
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button key="ok" type="primary" onClick={() => void form.validateFields().then((v) => onSave(build(v)))} data-testid="panel-save">
          {t('common.confirm')}
        </Button>,
      ]}
    >
      <Form form={form} layout="vertical" data-testid="panel-form">
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="title" label={t('monitoring.panel.title')} rules={[{ required: true, whitespace: true, max: 100 }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="type" label={t('monitoring.panel.type')} rules={[{ required: true }]}>
              <Select options={PANEL_TYPES.map((p) => ({ value: p, label: t(`monitoring.panelType.${p}`) }))} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="unit" label={t('monitoring.panel.unit')}>
              <Select options={PANEL_UNITS.map((u) => ({ value: u, label: t(`monitoring.unit.${u}`) }))} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="selector" label={t('monitoring.panel.selector')} rules={[{ required: true, whitespace: true, max: 2000 }]} extra={t('monitoring.panel.selectorHint')}>
              <SelectorInput testId="panel-selector" />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="agg" label={t('monitoring.panel.agg')}>
              <Select options={AGGREGATIONS.map((a) => ({ value: a, label: a }))} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="step" label={t('monitoring.panel.step')} rules={[{ pattern: /^(\d+(ms|s|m|h|d|w))+$|^\d+$/, message: t('monitoring.panel.stepInvalid') }]}>
              <Input placeholder={t('monitoring.panel.stepAuto')} />
            </Form.Item>
          </Col>
          <Col span={4}>
            <Form.Item name="max" label={t('monitoring.panel.max')}>
              <InputNumber style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={4}>
            <Form.Item name="w" label={t('monitoring.panel.width')} rules={[{ required: true }]}>
              <InputNumber min={1} max={12} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={4}>
            <Form.Item name="h" label={t('monitoring.panel.height')} rules={[{ required: true }]}>
              <InputNumber min={1} max={12} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
      <div data-testid="panel-preview" style={{ border: '1px dashed #d9d9d9', borderRadius: 8, padding: 8, minHeight: 80 }}>
        {preview ? <PanelView panel={preview} window={window} refreshMs={false} height={220} /> : <Typography.Text type="secondary">{t('monitoring.panel.previewHint')}</Typography.Text>}
      </div>
    </Modal>
  );
}
