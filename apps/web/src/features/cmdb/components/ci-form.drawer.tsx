import { useMemo } from 'react';
import { Divider, Form, Input, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Ci, CiClass, CiCreate, CiStatus, CiUpdate } from '@yunwei/contracts/cmdb';
import { useAuth } from '../../../app/auth-context';
import { localized } from '../../../app/i18n';
import { useLanguage } from '../../../app/use-language';
import { FormDrawer } from '../../../shared/components/form-drawer';
import { feedback } from '../../../shared/feedback';
import { OrgUnitTreeSelect } from '../../org/components/org-unit-tree-select';
import { useCiClasses, useCreateCi, useUpdateCi } from '../api/use-cmdb';
import { CI_STATUSES } from '../cmdb-meta';
import { AttributeField } from './attribute-field';
import { OwnerPicker } from './owner-picker';

interface CiFormDrawerProps {
  open: boolean;
  /** null = create. */
  ci: Ci | null;
  /** Preselected class when creating (e.g. the list's class filter). */
  defaultClassId?: string;
  onClose: () => void;
  onCreated?: (ci: Ci) => void;
}

interface FormValues {
  classId: string;
  name: string;
  subtype?: string | null;
  status: CiStatus;
  ip?: string;
  hostname?: string;
  ownerId?: string | null;
  orgUnitId?: string | null;
  description?: string;
  attributes?: Record<string, unknown>;
}

/** Attribute values as the API wants them: empty means "not set" (null clears on update). */
function cleanAttributes(cls: CiClass, values: Record<string, unknown> | undefined, keepNulls: boolean): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const a of cls.attributes) {
    const v = values?.[a.key];
    const empty = v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
    if (!empty && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) {
      out[a.key] = typeof v === 'string' ? v.trim() : v;
    } else if (keepNulls) {
      out[a.key] = null;
    }
  }
  return out;
}

/** Create or edit a CI; the attribute fields come from the class's definitions. */
export function CiFormDrawer({ open, ci, defaultClassId, onClose, onCreated }: CiFormDrawerProps) {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const { can } = useAuth();
  const [form] = Form.useForm<FormValues>();
  const classes = useCiClasses();
  const create = useCreateCi();
  const update = useUpdateCi();
  const classId = Form.useWatch('classId', form);
  const cls = useMemo(() => classes.data?.find((c) => c.id === (ci?.classId ?? classId)), [classes.data, ci, classId]);

  const initialValues: Partial<FormValues> = ci
    ? { classId: ci.classId, name: ci.name, subtype: ci.subtype, status: ci.status, ip: ci.ip, hostname: ci.hostname, ownerId: ci.ownerId, orgUnitId: ci.orgUnitId, description: ci.description, attributes: ci.attributes }
    : { status: 'active', classId: defaultClassId };

  const submit = (values: FormValues): Promise<Ci> => {
    const fields = {
      name: values.name.trim(),
      subtype: values.subtype ?? null,
      status: values.status,
      ip: values.ip?.trim() ?? '',
      hostname: values.hostname?.trim() ?? '',
      description: values.description ?? '',
      ...(can('identity.user.read') ? { ownerId: values.ownerId ?? null } : {}),
      ...(can('org.unit.read') ? { orgUnitId: values.orgUnitId ?? null } : {}),
    };
    // Without the class (its list not loaded) the attributes are left as they are.
    const attributes = (keepNulls: boolean) => (cls ? { attributes: cleanAttributes(cls, values.attributes, keepNulls) } : {});
    if (ci) {
      const body: CiUpdate = { ...fields, ...attributes(true) };
      return update.mutateAsync({ id: ci.id, body });
    }
    const body: CiCreate = { ...fields, classId: values.classId, ...attributes(false) };
    return create.mutateAsync(body);
  };

  return (
    <FormDrawer<FormValues, Ci>
      open={open}
      editing={Boolean(ci)}
      form={form}
      name="ci-form"
      testId="ci-form"
      width={560}
      title={t('cmdb.ci.createTitle')}
      editTitle={t('cmdb.ci.editTitle', { name: ci?.name })}
      initialValues={initialValues}
      onSubmit={submit}
      // A new CI is named in its toast; an edit gets the usual 保存成功.
      success={ci ? undefined : null}
      onSaved={(saved) => {
        if (!ci) {
          void feedback.current?.message.success(t('cmdb.ci.created', { name: saved.name }));
          onCreated?.(saved);
        }
      }}
      onClose={onClose}
    >
      <Form.Item name="classId" label={t('cmdb.ci.field.class')} rules={[{ required: true, message: t('cmdb.ci.validation.classRequired') }]}>
        <Select
          disabled={Boolean(ci)}
          loading={classes.isLoading}
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('cmdb.ci.classPlaceholder')}
          options={(classes.data ?? []).map((c) => ({ value: c.id, label: localized(c.name, language) }))}
          onChange={() => form.setFieldsValue({ subtype: null, attributes: {} })}
        />
      </Form.Item>
      <Form.Item
        name="name"
        label={t('cmdb.ci.field.name')}
        rules={[
          { required: true, whitespace: true, message: t('cmdb.ci.validation.nameRequired') },
          { max: 128, message: t('common.validation.maxLength', { max: 128 }) },
        ]}
      >
        <Input placeholder={t('cmdb.ci.namePlaceholder')} />
      </Form.Item>
      {cls && cls.subtypes.length > 0 && (
        <Form.Item name="subtype" label={t('cmdb.ci.field.subtype')}>
          <Select allowClear options={cls.subtypes.map((s) => ({ value: s.key, label: localized(s.name, language) }))} />
        </Form.Item>
      )}
      <Form.Item name="status" label={t('cmdb.ci.field.status')}>
        <Select options={CI_STATUSES.map((s) => ({ value: s, label: t(`cmdb.status.${s}`) }))} />
      </Form.Item>
      <Space.Compact block style={{ gap: 12 }}>
        <Form.Item name="ip" label={t('cmdb.ci.field.ip')} style={{ flex: 1 }} rules={[{ max: 45, message: t('common.validation.maxLength', { max: 45 }) }]}>
          <Input placeholder="192.0.2.10" />
        </Form.Item>
        <Form.Item name="hostname" label={t('cmdb.ci.field.hostname')} style={{ flex: 1 }} rules={[{ max: 253, message: t('common.validation.maxLength', { max: 253 }) }]}>
          <Input placeholder="app-01.dc.local" />
        </Form.Item>
      </Space.Compact>
      {can('identity.user.read') && (
        <Form.Item name="ownerId" label={t('cmdb.ci.field.owner')}>
          <OwnerPicker knownName={ci?.ownerName} />
        </Form.Item>
      )}
      {can('org.unit.read') && (
        <Form.Item name="orgUnitId" label={t('cmdb.ci.field.orgUnit')} tooltip={t('cmdb.ci.help.orgUnit')}>
          <OrgUnitTreeSelect />
        </Form.Item>
      )}
      <Form.Item name="description" label={t('cmdb.ci.field.description')} rules={[{ max: 2000, message: t('common.validation.maxLength', { max: 2000 }) }]}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
      </Form.Item>
      {cls && (
        <>
          <Divider titlePlacement="start" plain>
            {t('cmdb.ci.attributesOf', { name: localized(cls.name, language) })}
          </Divider>
          {cls.attributes.length === 0 && <Typography.Text type="secondary">{t('cmdb.ci.noAttributes')}</Typography.Text>}
          {cls.attributes.map((a) => (
            <AttributeField key={`${cls.id}-${a.key}`} attribute={a} />
          ))}
        </>
      )}
    </FormDrawer>
  );
}
