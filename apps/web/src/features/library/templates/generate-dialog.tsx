import { useEffect, useState } from 'react';
import { DatePicker, Form, Input, Modal, Select, Space, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { LIBRARY_LIMITS } from '@yunwei/contracts/library';
import type { LibraryTemplateGenerate } from '@yunwei/contracts/library-templates';
import { reportError } from '../../../app/query-client';
import { applyServerErrors } from '../../../shared/form-errors';
import { useLocalName } from '../../../shared/local-name';
import { OrgUnitTreeSelect } from '../../org/components/org-unit-tree-select';
import { useScopeChoices } from '../../reports/api/use-reports';
import { PERIOD_PRESETS, type PeriodPreset, presetPeriod } from '../../reports/pages/period';
import { useLibraryTypes } from '../api/use-library';
import { useGenerateFromTemplate, useLibraryTemplates } from './use-templates';

interface GenerateValues {
  typeCode?: string;
  templateId?: string;
  title: string;
  preset: PeriodPreset;
  range?: [Dayjs, Dayjs] | null;
  scope: string;
  orgUnitId?: string | null;
}

const PRESET_OF = { week: 'lastWeek', month: 'lastMonth', quarter: 'lastQuarter' } as const;

/** A published document whose next version is generated (its type is fixed, its title kept). */
export interface GenerateTarget {
  id: string;
  title: string;
  typeCode: string;
}

/**
 * 从模板新建: a template (of a type), the title, the period (上周 / 上月 / 上季度 / custom) and the scope
 * (all, a business system or a CI class, by name); the server fills the numbers and the new draft opens.
 * With `target`, 从模板生成新版本: the next version of that published document, from a template of its type.
 */
export function GenerateDialog({ open, onClose, templateId, target }: { open: boolean; onClose: () => void; templateId?: string; target?: GenerateTarget }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const navigate = useNavigate();
  const localName = useLocalName();
  const [form] = Form.useForm<GenerateValues>();
  const typeCode = Form.useWatch('typeCode', form);
  const preset = Form.useWatch('preset', form);
  const types = useLibraryTypes();
  const templates = useLibraryTemplates(typeCode || undefined);
  const choices = useScopeChoices();
  const generate = useGenerateFromTemplate();
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (open) {
      form.resetFields();
      if (target) {
        form.setFieldsValue({ typeCode: target.typeCode, title: target.title });
      }
      if (templateId) {
        form.setFieldValue('templateId', templateId);
      }
    }
  }, [open, templateId, target, form]);

  const pickTemplate = (id: string) => {
    const tpl = (templates.data ?? []).find((x) => x.id === id);
    if (tpl) {
      form.setFieldsValue({ preset: PRESET_OF[tpl.defaultPeriod], scope: tpl.defaultScope || 'all' });
    }
  };
  // Opened on one template (the templates page): its default period and scope once the list is there.
  const loaded = Boolean(templates.data);
  useEffect(() => {
    if (open && templateId && loaded) {
      pickTemplate(templateId);
    }
  }, [open, templateId, loaded]);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v?.templateId) {
      return;
    }
    const period = v.preset === 'custom' ? (v.range ? { from: v.range[0].startOf('day').valueOf(), to: v.range[1].add(1, 'day').startOf('day').valueOf() } : null) : presetPeriod(v.preset);
    if (!period) {
      form.setFields([{ name: 'range', errors: [t('libraryTemplates.generate.rangeRequired')] }]);
      return;
    }
    const body: LibraryTemplateGenerate = { title: v.title.trim(), ...period, scope: v.scope, ...(target ? { documentId: target.id } : v.orgUnitId ? { orgUnitId: v.orgUnitId } : {}) };
    setSaving(true);
    try {
      const created = await generate.mutateAsync({ id: v.templateId, body });
      onClose();
      void navigate(`/library/documents/${created.id}`);
    } catch (error) {
      applyServerErrors(form, error, { from: 'range', to: 'range' });
      reportError(error);
    } finally {
      setSaving(false);
    }
  };

  const scopeOptions = [
    { value: 'all', label: t('reports.scope.all') },
    { label: t('reports.scope.businessSystems'), options: (choices.data?.businessSystems ?? []).map((b) => ({ value: `businessSystem:${b.id}`, label: b.name })) },
    { label: t('reports.scope.classes'), options: (choices.data?.classes ?? []).map((c) => ({ value: `ciClass:${c.code}`, label: en ? c.name.en : c.name.zh })) },
  ];

  return (
    <Modal open={open} title={t(target ? 'libraryTemplates.generate.versionTitle' : 'libraryTemplates.generate.title')} onCancel={onClose} onOk={() => void submit()} okText={t('libraryTemplates.generate.ok')} confirmLoading={saving} okButtonProps={{ 'data-testid': 'generate-ok' }} destroyOnHidden width={560}>
      <Typography.Paragraph type="secondary">{t(target ? 'libraryTemplates.generate.versionHelp' : 'libraryTemplates.generate.help')}</Typography.Paragraph>
      <Form<GenerateValues> form={form} layout="vertical" name="library-generate" initialValues={{ preset: 'lastMonth', scope: 'all' }}>
        <Form.Item name="typeCode" label={t('library.field.type')}>
          <Select
            allowClear={!target}
            disabled={Boolean(target)}
            showSearch={{ optionFilterProp: 'label' }}
            options={(types.data ?? []).map((x) => ({ value: x.code, label: localName(x.nameZh, x.nameEn) }))}
            placeholder={t('libraryTemplates.generate.anyType')}
            onChange={() => form.setFieldValue('templateId', undefined)}
            data-testid="generate-type"
          />
        </Form.Item>
        <Form.Item name="templateId" label={t('libraryTemplates.field.template')} rules={[{ required: true, message: t('libraryTemplates.generate.templateRequired') }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            loading={templates.isLoading}
            options={(templates.data ?? []).map((x) => ({ value: x.id, label: `${x.name}（${x.type.name}）` }))}
            onChange={pickTemplate}
            data-testid="generate-template"
          />
        </Form.Item>
        <Form.Item
          name="title"
          label={t('library.field.title')}
          rules={[{ required: true, whitespace: true, message: t('library.form.titleRequired') }, { max: LIBRARY_LIMITS.title, message: t('common.validation.maxLength', { max: LIBRARY_LIMITS.title }) }]}
        >
          <Input data-testid="generate-title" />
        </Form.Item>
        <Space wrap align="start">
          <Form.Item name="preset" label={t('reports.period.label')}>
            <Select<PeriodPreset> style={{ width: 140 }} options={PERIOD_PRESETS.map((p) => ({ value: p, label: t(`reports.period.${p}`) }))} data-testid="generate-period" />
          </Form.Item>
          {preset === 'custom' && (
            <Form.Item name="range" label={t('libraryTemplates.generate.range')}>
              <DatePicker.RangePicker data-testid="generate-range" />
            </Form.Item>
          )}
        </Space>
        <Form.Item name="scope" label={t('reports.scope.label')}>
          <Select options={scopeOptions} showSearch={{ optionFilterProp: 'label' }} loading={choices.isLoading} data-testid="generate-scope" />
        </Form.Item>
        {!target && (
          <Form.Item name="orgUnitId" label={t('library.field.orgUnit')} tooltip={t('library.form.orgUnitHelp')}>
            <OrgUnitTreeSelect />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
