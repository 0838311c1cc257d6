import { useState } from 'react';
import { Button, Space, Tag, Tooltip, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CiClass } from '@yunwei/contracts/cmdb';
import { useAuth } from '../../../app/auth-context';
import { localized } from '../../../app/i18n';
import { useLanguage } from '../../../app/use-language';
import { ListPage } from '../../../shared/components/list-page';
import { ConfirmButton } from '../../../shared/confirm-mutation';
import { useCiClasses, useDeleteClass } from '../api/use-cmdb';
import { ClassTag } from '../components/ci-tags';
import { ClassFormDrawer } from '../components/class-form.drawer';

export default function ClassListPage() {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const { can } = useAuth();
  const canWrite = can('cmdb.class.write');
  const { data, isFetching } = useCiClasses();
  const remove = useDeleteClass();
  const [open, setOpen] = useState<{ cls: CiClass | null; readOnly: boolean } | null>(null);

  return (
    <ListPage<CiClass>
      title={t('nav.items.cmdbClasses')}
      description={t('cmdb.class.description')}
      pageTestId="class-list-page"
      primaryAction={canWrite ? { label: t('cmdb.class.create'), icon: <PlusOutlined />, onClick: () => setOpen({ cls: null, readOnly: false }), testId: 'class-create' } : undefined}
      emptyDescription={t('cmdb.class.empty')}
      rowKey="id"
      size="middle"
      loading={isFetching}
      dataSource={data}
      pagination={false}
      scroll={{ x: 1000 }}
      columns={[
        {
          key: 'name',
          title: t('cmdb.class.field.name'),
          width: 200,
          render: (_, c) => (
            <Space size={4} wrap>
              <ClassTag code={c.code} name={c.name} />
              {c.businessSystem && (
                <Tooltip title={t('cmdb.class.businessSystemHelp')}>
                  <Tag color="gold">{t('cmdb.class.impactEnd')}</Tag>
                </Tooltip>
              )}
            </Space>
          ),
        },
        { key: 'code', title: t('cmdb.class.field.code'), dataIndex: 'code', width: 150, render: (code: string) => <Typography.Text code>{code}</Typography.Text> },
        { key: 'kind', title: t('cmdb.class.kind'), width: 100, render: (_, c) => (c.builtin ? <Tag>{t('cmdb.class.builtin')}</Tag> : <Tag color="blue">{t('cmdb.class.custom')}</Tag>) },
        {
          key: 'subtypes',
          title: t('cmdb.class.subtypes'),
          width: 220,
          render: (_, c) => (c.subtypes.length ? c.subtypes.map((s) => <Tag key={s.key}>{localized(s.name, language)}</Tag>) : <Typography.Text type="secondary">{t('common.empty')}</Typography.Text>),
        },
        {
          key: 'attributes',
          title: t('cmdb.class.attributes'),
          ellipsis: { showTitle: true },
          render: (_, c) => c.attributes.map((a) => localized(a.label, language) + (a.required ? '*' : '')).join('、') || t('common.empty'),
        },
        {
          key: 'ciCount',
          title: t('cmdb.class.ciCount'),
          dataIndex: 'ciCount',
          width: 110,
          align: 'right',
          render: (count: number, c) => <Link to={`/cmdb/cis?classId=${c.id}`}>{count}</Link>,
        },
        {
          key: 'actions',
          title: t('common.actions'),
          width: 140,
          fixed: 'right',
          render: (_, c) =>
            c.builtin || !canWrite ? (
              <Button type="link" size="small" onClick={() => setOpen({ cls: c, readOnly: true })}>
                {t('common.view')}
              </Button>
            ) : (
              <Space size={0}>
                <Button type="link" size="small" onClick={() => setOpen({ cls: c, readOnly: false })}>
                  {t('common.edit')}
                </Button>
                <Tooltip title={c.ciCount > 0 ? t('cmdb.class.inUse', { count: c.ciCount }) : undefined}>
                  <span>
                    <ConfirmButton
                      label={t('common.delete')}
                      disabled={c.ciCount > 0}
                      title={t('cmdb.class.deleteTitle', { name: localized(c.name, language) })}
                      description={t('cmdb.class.deleteConfirm')}
                      okText={t('common.delete')}
                      run={() => remove.mutateAsync(c.id)}
                      success={t('common.deleted')}
                    />
                  </span>
                </Tooltip>
              </Space>
            ),
        },
      ]}
    >
      <ClassFormDrawer open={open !== null} cls={open?.cls ?? null} readOnly={open?.readOnly ?? false} onClose={() => setOpen(null)} />
    </ListPage>
  );
}
