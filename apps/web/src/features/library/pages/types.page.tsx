import { useState } from 'react';
import { Button, Form, Input, InputNumber, Select, Space, Tag, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { APPROVAL_PERMISSIONS } from '@yunwei/contracts/approvals';
import { LIBRARY_LIMITS, type LibraryType, type LibraryTypeCreate } from '@yunwei/contracts/library';
import { useAuth } from '../../../app/auth-context';
import { ListPage } from '../../../shared/components/list-page';
import { FormDrawer } from '../../../shared/components/form-drawer';
import { ConfirmButton } from '../../../shared/confirm-mutation';
import { matchesText } from '../../../shared/url-filters';
import { useLocalName } from '../../../shared/local-name';
import { useUrlFilters } from '../../../shared/use-url-filters';
import { useApprovalFlows, useDeleteLibraryType, useLibraryTypes, useSaveLibraryType } from '../api/use-library';

interface TypeValues {
  code: string;
  nameZh: string;
  nameEn: string;
  numberPrefix: string;
  flowCode?: string | null;
  reviewMonths: number;
}

const toValues = (x: LibraryType): TypeValues => ({ code: x.code, nameZh: x.nameZh, nameEn: x.nameEn, numberPrefix: x.numberPrefix, flowCode: x.flowCode, reviewMonths: x.reviewMonths });

/** 文档类型: each type's number prefix, the approval flow its versions go through and its review period. */
export default function LibraryTypesPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const localName = useLocalName();
  const types = useLibraryTypes();
  const flows = useApprovalFlows(can(APPROVAL_PERMISSIONS.flowManage));
  const save = useSaveLibraryType();
  const remove = useDeleteLibraryType();
  const filters = useUrlFilters({ q: 'text' });
  const [editing, setEditing] = useState<LibraryType | null | undefined>(undefined);
  const rows = (types.data ?? []).filter((x) => matchesText(filters.values.q, x.nameZh, x.nameEn, x.code, x.numberPrefix));
  const flowOptions = [
    ...(flows.data ?? []).map((f) => ({ value: f.code, label: `${localName(f.nameZh, f.nameEn)}${f.enabled ? '' : ` (${t('library.types.flowDisabled')})`}` })),
    // The type's own flow keeps its name even for a reader who may not list flows.
    ...(editing?.flowCode && !(flows.data ?? []).some((f) => f.code === editing.flowCode) ? [{ value: editing.flowCode, label: editing.flowName ?? editing.flowCode }] : []),
  ];

  const columns: TableColumnsType<LibraryType> = [
    {
      title: t('library.types.name'),
      key: 'name',
      render: (_, x) => (
        <Space size={4}>
          <span>{localName(x.nameZh, x.nameEn)}</span>
          {x.builtIn && <Tag>{t('library.types.builtIn')}</Tag>}
        </Space>
      ),
    },
    { title: t('library.types.prefix'), dataIndex: 'numberPrefix', key: 'numberPrefix', width: 110 },
    {
      title: t('library.types.flow'),
      key: 'flow',
      render: (_, x) => (x.flowCode ? (x.flowName ?? <Typography.Text type="danger">{t('library.types.flowMissing', { code: x.flowCode })}</Typography.Text>) : <Typography.Text type="secondary">{t('library.types.noFlow')}</Typography.Text>),
    },
    { title: t('library.types.reviewMonths'), dataIndex: 'reviewMonths', key: 'reviewMonths', width: 120, render: (m: number) => t('library.types.months', { count: m }) },
    { title: t('library.types.documents'), dataIndex: 'documentCount', key: 'documentCount', width: 90 },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 140,
      render: (_, x) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => setEditing(x)} data-testid={`type-edit-${x.code}`}>
            {t('common.edit')}
          </Button>
          {!x.builtIn && (
            <ConfirmButton
              label={t('common.delete')}
              title={t('library.types.deleteConfirm', { name: localName(x.nameZh, x.nameEn) })}
              description={x.documentCount > 0 ? t('library.types.inUse', { count: x.documentCount }) : undefined}
              disabled={x.documentCount > 0}
              okText={t('common.delete')}
              run={() => remove.mutateAsync(x.code)}
              success={t('common.deleted')}
            />
          )}
        </Space>
      ),
    },
  ];

  return (
    <ListPage<LibraryType, 'q'>
      title={t('nav.items.libraryTypes')}
      description={t('nav.descriptions.libraryTypes')}
      pageTestId="library-types-page"
      primaryAction={{ label: t('library.types.create'), icon: <PlusOutlined />, onClick: () => setEditing(null), testId: 'type-create' }}
      emptyDescription={t('library.types.empty')}
      filters={{ state: filters, items: [{ key: 'q', type: 'search', placeholder: t('library.types.search') }] }}
      rowKey="code"
      columns={columns}
      dataSource={rows}
      loading={types.isLoading}
      pagination={false}
      cards={{ title: 'name', fields: ['numberPrefix', 'flow', 'reviewMonths', 'documentCount'], actions: 'actions' }}
      data-testid="library-types-table"
    >
      <FormDrawer<TypeValues, LibraryType>
        open={editing !== undefined}
        editing={Boolean(editing)}
        name="library-type"
        testId="library-type-form"
        title={t('library.types.createTitle')}
        editTitle={t('library.types.editTitle', { name: editing ? localName(editing.nameZh, editing.nameEn) : '' })}
        initialValues={editing ? toValues(editing) : { reviewMonths: 12, flowCode: null }}
        onSubmit={(v) => {
          const body: Omit<LibraryTypeCreate, 'code'> = { nameZh: v.nameZh.trim(), nameEn: v.nameEn.trim(), numberPrefix: v.numberPrefix.trim(), flowCode: v.flowCode ?? null, reviewMonths: v.reviewMonths };
          return editing ? save.mutateAsync({ code: editing.code, body }) : save.mutateAsync({ body: { code: v.code.trim(), ...body } });
        }}
        onClose={() => setEditing(undefined)}
      >
        <Form.Item
          name="code"
          label={t('library.types.code')}
          extra={t('library.types.codeHelp')}
          rules={[
            { required: true, message: t('library.types.codeRequired') },
            { pattern: /^[a-z][a-z0-9_]*$/, message: t('library.types.codePattern') },
            { min: 2, max: LIBRARY_LIMITS.typeCode, message: t('library.types.codeLength', { max: LIBRARY_LIMITS.typeCode }) },
          ]}
        >
          <Input disabled={Boolean(editing)} data-testid="type-code" />
        </Form.Item>
        <Form.Item name="nameZh" label={t('library.types.nameZh')} rules={[{ required: true, whitespace: true, message: t('library.types.nameRequired') }, { max: 100, message: t('common.validation.maxLength', { max: 100 }) }]}>
          <Input data-testid="type-name-zh" />
        </Form.Item>
        <Form.Item name="nameEn" label={t('library.types.nameEn')} rules={[{ required: true, whitespace: true, message: t('library.types.nameRequired') }, { max: 100, message: t('common.validation.maxLength', { max: 100 }) }]}>
          <Input data-testid="type-name-en" />
        </Form.Item>
        <Form.Item
          name="numberPrefix"
          label={t('library.types.prefix')}
          extra={t('library.types.prefixHelp')}
          rules={[
            { required: true, message: t('library.types.prefixRequired') },
            { pattern: /^[A-Z][A-Z0-9]*$/, message: t('library.types.prefixPattern') },
            { max: LIBRARY_LIMITS.numberPrefix, message: t('common.validation.maxLength', { max: LIBRARY_LIMITS.numberPrefix }) },
          ]}
        >
          <Input style={{ width: 200 }} data-testid="type-prefix" />
        </Form.Item>
        <Form.Item name="flowCode" label={t('library.types.flow')} extra={t('library.types.flowHelp')}>
          <Select allowClear loading={flows.isLoading} options={flowOptions} placeholder={t('library.types.noFlow')} data-testid="type-flow" />
        </Form.Item>
        <Form.Item name="reviewMonths" label={t('library.types.reviewMonths')} extra={t('library.types.reviewHelp')} rules={[{ required: true, message: t('library.types.reviewRequired') }]}>
          <InputNumber min={1} max={LIBRARY_LIMITS.reviewMonths} precision={0} style={{ width: 160 }} suffix={t('library.types.monthUnit')} data-testid="type-review-months" />
        </Form.Item>
      </FormDrawer>
    </ListPage>
  );
}
