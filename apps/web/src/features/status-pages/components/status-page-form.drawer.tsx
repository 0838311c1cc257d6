import { Form, Input, Switch, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { SLUG_PATTERN, STATUS_PAGE_LIMITS, type StatusPage, type StatusPageCreate } from '@yunwei/contracts/status-pages';
import { ApiError } from '../../../app/api-client';
import { FormDrawer } from '../../../shared/components/form-drawer';
import { applyServerErrors } from '../../../shared/form-errors';
import { useCiClasses } from '../../cmdb/api/use-cmdb';
import { CiPicker } from '../../cmdb/components/ci-picker';
import { useCreateStatusPage, useUpdateStatusPage } from '../api/use-status-pages';
import { ComponentsEditor, type ComponentValue } from './components-editor';

interface FormValues {
  title: { zh: string; en?: string };
  slug: string;
  businessSystemId?: string;
  description?: { zh?: string; en?: string };
  components?: ComponentValue[];
  published: boolean;
}

function valuesOf(page: StatusPage): FormValues {
  return {
    title: page.title,
    slug: page.slug,
    businessSystemId: page.businessSystemId,
    description: page.description,
    components: page.components.map((c) => ({ kind: c.kind, ref: c.refId, name: c.name })),
    published: page.published,
  };
}

function bodyOf(v: FormValues): StatusPageCreate {
  return {
    slug: v.slug.trim(),
    title: { zh: v.title.zh.trim(), en: v.title.en?.trim() ?? '' },
    description: { zh: v.description?.zh?.trim() ?? '', en: v.description?.en?.trim() ?? '' },
    businessSystemId: v.businessSystemId!,
    components: (v.components ?? []).map((c) => {
      const name = c.name?.trim() || undefined;
      return c.kind === 'check' ? { checkId: c.ref!, name } : { ciId: c.ref!, name };
    }),
    published: v.published,
  };
}

/** The server names `body.components.<i>.checkId` (or `.ciId`, or the row); the form holds the pick as `ref`. */
function showFieldErrors(form: FormInstance<FormValues>, error: unknown): void {
  if (!(error instanceof ApiError) || !error.details) {
    return;
  }
  const fix = (field: string) => field.replace(/^body\.components\.(\d+)(\.(checkId|ciId))?$/, 'body.components.$1.ref');
  const details = { ...error.details, field: error.details.field && fix(error.details.field), fields: error.details.fields?.map((f) => ({ ...f, field: fix(f.field) })) };
  applyServerErrors(form, new ApiError(error.status, error.code, error.message, details));
}

/** Create or change a status page: address, titles, business system, components, published. */
export function StatusPageFormDrawer({ open, page, onClose }: { open: boolean; page: StatusPage | null; onClose: () => void }) {
  const { t } = useTranslation();
  const classes = useCiClasses();
  const businessClass = classes.data?.find((c) => c.businessSystem);
  const create = useCreateStatusPage();
  const update = useUpdateStatusPage();
  const required = { required: true, message: t('statusPage.validation.required') };
  return (
    <FormDrawer<FormValues, StatusPage>
      open={open}
      editing={page !== null}
      name="status-page-form"
      testId="status-page-form"
      width={760}
      title={t('statusPage.createTitle')}
      editTitle={t('statusPage.editTitle', { name: page?.title.zh })}
      initialValues={page ? valuesOf(page) : { published: false, components: [{ kind: 'check' }] }}
      onSubmit={(v) => (page ? update.mutateAsync({ id: page.id, body: bodyOf(v) }) : create.mutateAsync(bodyOf(v)))}
      fieldErrors={showFieldErrors}
      onClose={onClose}
    >
      <Form.Item name={['title', 'zh']} label={t('statusPage.field.titleZh')} rules={[{ ...required, whitespace: true }, { max: 100 }]}>
        <Input data-testid="status-page-title" />
      </Form.Item>
      <Form.Item name={['title', 'en']} label={t('statusPage.field.titleEn')} extra={t('statusPage.help.titleEn')} rules={[{ max: 100 }]}>
        <Input data-testid="status-page-title-en" />
      </Form.Item>
      <Form.Item
        name="slug"
        label={t('statusPage.field.slug')}
        extra={t('statusPage.help.slug')}
        rules={[
          required,
          { min: STATUS_PAGE_LIMITS.slugMin, max: STATUS_PAGE_LIMITS.slugMax, message: t('statusPage.validation.slugLength', { min: STATUS_PAGE_LIMITS.slugMin, max: STATUS_PAGE_LIMITS.slugMax }) },
          { pattern: new RegExp(SLUG_PATTERN), message: t('statusPage.validation.slug') },
        ]}
      >
        <Input addonBefore={`${window.location.origin}/status/`} placeholder="portal" data-testid="status-page-slug" />
      </Form.Item>
      <Form.Item name="businessSystemId" label={t('statusPage.field.businessSystem')} extra={t('statusPage.help.businessSystem')} rules={[required]}>
        <CiPicker classId={businessClass?.id} known={page ? [{ id: page.businessSystemId, name: page.businessSystemName ?? page.businessSystemId, classCode: 'business_system' }] : []} testId="status-page-business-system" />
      </Form.Item>
      <Form.Item name={['description', 'zh']} label={t('statusPage.field.descriptionZh')} rules={[{ max: STATUS_PAGE_LIMITS.description }]}>
        <Input.TextArea rows={2} />
      </Form.Item>
      <Form.Item name={['description', 'en']} label={t('statusPage.field.descriptionEn')} rules={[{ max: STATUS_PAGE_LIMITS.description }]}>
        <Input.TextArea rows={2} />
      </Form.Item>
      <Form.Item label={t('statusPage.field.components')} extra={t('statusPage.help.components')}>
        <ComponentsEditor known={page?.components ?? []} />
      </Form.Item>
      <Form.Item name="published" label={t('statusPage.field.published')} extra={t('statusPage.help.published')} valuePropName="checked">
        <Switch data-testid="status-page-published" />
      </Form.Item>
    </FormDrawer>
  );
}
