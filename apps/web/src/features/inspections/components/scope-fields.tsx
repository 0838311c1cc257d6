import { Form, Radio, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { localized } from '../../../app/i18n';
import { useLanguage } from '../../../app/use-language';
import { useCiClasses } from '../../cmdb/api/use-cmdb';
import { CiPicker } from '../../cmdb/components/ci-picker';

/** Scope of a template or policy: a CI class, a business system (with what it relies on), or explicit CIs. */
export function ScopeFields({ allowCis = true }: { allowCis?: boolean }) {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const classes = useCiClasses();
  const businessClass = classes.data?.find((c) => c.code === 'business_system');
  const kind = Form.useWatch(['scope', 'kind']) as string | undefined;
  return (
    <>
      <Form.Item name={['scope', 'kind']} label={t('inspections.field.scope')} rules={[{ required: true }]}>
        <Radio.Group>
          <Radio.Button value="class">{t('inspections.scope.class')}</Radio.Button>
          <Radio.Button value="business_system">{t('inspections.scope.business_system')}</Radio.Button>
          {allowCis && <Radio.Button value="cis">{t('inspections.scope.cis')}</Radio.Button>}
        </Radio.Group>
      </Form.Item>
      {kind === 'class' && (
        <Form.Item name={['scope', 'classCode']} label={t('inspections.field.classCode')} rules={[{ required: true }]}>
          <Select options={(classes.data ?? []).map((c) => ({ value: c.code, label: localized(c.name, language) }))} loading={classes.isLoading} />
        </Form.Item>
      )}
      {kind === 'business_system' && (
        <Form.Item name={['scope', 'ciId']} label={t('inspections.scope.business_system')} rules={[{ required: true }]}>
          <CiPicker classId={businessClass?.id} />
        </Form.Item>
      )}
      {kind === 'cis' && (
        <Form.Item name={['scope', 'ciIds']} label={t('inspections.scope.cis')} rules={[{ required: true }]}>
          <CiPicker multiple />
        </Form.Item>
      )}
    </>
  );
}
