import { useState } from 'react';
import { Button, Card, Descriptions, Result, Skeleton, Space, Tabs, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, DeleteOutlined, EditOutlined, LineChartOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import type { AttributeDefinition, CiDetail } from '@yunwei/contracts/cmdb';
import { ApiError } from '../../../app/api-client';
import { useAuth } from '../../../app/auth-context';
import { localized } from '../../../app/i18n';
import { useLanguage } from '../../../app/use-language';
import { DateTime } from '../../../shared/components/date-time';
import { PageContainer } from '../../../shared/components/page-container';
import { useSeededText } from '../../../shared/use-seeded-text';
import { useCi, useCiClasses } from '../api/use-cmdb';
import { MONITORED_HOST_CLASSES } from '../cmdb-meta';
import { ClassTag, StatusTag } from '../components/ci-tags';
import { CiFormDrawer } from '../components/ci-form.drawer';
import { DeleteCiButton } from '../components/ci-row-actions';
import { GroupPanel } from '../components/group-panel';
import { ImpactPanel } from '../components/impact-panel';
import { RelationPanel } from '../components/relation-panel';

const TABS = ['overview', 'relations', 'groups', 'impact'] as const;
type TabKey = (typeof TABS)[number];

function AttributeValue({ attribute, value }: { attribute: AttributeDefinition | undefined; value: unknown }) {
  const { t } = useTranslation();
  if (value === null || value === undefined || value === '') {
    return <Typography.Text type="secondary">{t('common.empty')}</Typography.Text>;
  }
  if (attribute?.type === 'boolean' || typeof value === 'boolean') {
    return <>{value ? t('cmdb.yes') : t('cmdb.no')}</>;
  }
  return <>{typeof value === 'object' ? JSON.stringify(value) : String(value as string | number)}</>;
}

function Overview({ ci }: { ci: CiDetail }) {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const seeded = useSeededText();
  const { data: classes = [] } = useCiClasses();
  const cls = classes.find((c) => c.id === ci.classId);
  const subtype = cls?.subtypes.find((s) => s.key === ci.subtype);
  const empty = <Typography.Text type="secondary">{t('common.empty')}</Typography.Text>;
  // Defined attributes in the class's order, then any value the class no longer defines.
  const keys = [...(cls?.attributes.map((a) => a.key) ?? []), ...Object.keys(ci.attributes).filter((k) => !cls?.attributes.some((a) => a.key === k))];
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card variant="borderless" title={t('cmdb.ci.basics')}>
        <Descriptions column={{ xs: 1, md: 2, xl: 3 }} size="small" data-testid="ci-basics">
          <Descriptions.Item label={t('cmdb.ci.field.class')}>
            <ClassTag code={ci.classCode} name={ci.className} />
          </Descriptions.Item>
          <Descriptions.Item label={t('cmdb.ci.field.subtype')}>{subtype ? localized(subtype.name, language) : (ci.subtype ?? empty)}</Descriptions.Item>
          <Descriptions.Item label={t('cmdb.ci.field.status')}>
            <StatusTag status={ci.status} />
          </Descriptions.Item>
          <Descriptions.Item label={t('cmdb.ci.field.ip')}>{ci.ip ? <Typography.Text copyable>{ci.ip}</Typography.Text> : empty}</Descriptions.Item>
          <Descriptions.Item label={t('cmdb.ci.field.hostname')}>{ci.hostname || empty}</Descriptions.Item>
          <Descriptions.Item label={t('cmdb.ci.field.owner')}>{ci.ownerName ? `${ci.ownerName}（${ci.ownerUsername ?? ''}）` : empty}</Descriptions.Item>
          <Descriptions.Item label={t('cmdb.ci.field.orgUnit')}>{ci.orgUnitName ?? empty}</Descriptions.Item>
          <Descriptions.Item label={t('common.createdAt')}>
            <DateTime value={ci.createdAt} />
          </Descriptions.Item>
          <Descriptions.Item label={t('common.updatedAt')}>
            <DateTime value={ci.updatedAt} />
          </Descriptions.Item>
          <Descriptions.Item label={t('cmdb.ci.field.businessSystems')} span={{ xs: 1, md: 2, xl: 3 }}>
            {ci.businessSystems.length
              ? ci.businessSystems.map((b) => (
                  <Tag key={b.id} color="gold">
                    <Link to={`/cmdb/cis/${b.id}`}>{b.name}</Link>
                  </Tag>
                ))
              : empty}
          </Descriptions.Item>
          <Descriptions.Item label={t('cmdb.ci.field.description')} span={{ xs: 1, md: 2, xl: 3 }}>
            <span style={{ whiteSpace: 'pre-wrap' }}>{seeded(ci.description) || empty}</span>
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card variant="borderless" title={t('cmdb.ci.attributesOf', { name: localized(ci.className, language) })}>
        {keys.length === 0 ? (
          <Typography.Text type="secondary">{t('cmdb.ci.noAttributes')}</Typography.Text>
        ) : (
          <Descriptions column={{ xs: 1, md: 2, xl: 3 }} size="small" data-testid="ci-attributes">
            {keys.map((key) => {
              const a = cls?.attributes.find((x) => x.key === key);
              return (
                <Descriptions.Item key={key} label={a ? localized(a.label, language) : key}>
                  <AttributeValue attribute={a} value={ci.attributes[key]} />
                </Descriptions.Item>
              );
            })}
          </Descriptions>
        )}
      </Card>
    </Space>
  );
}

export default function CiDetailPage() {
  const { t } = useTranslation();
  const { id } = useParams<{ id: string }>();
  const navigate = useNavigate();
  const location = useLocation();
  const [params, setParams] = useSearchParams();
  const { can } = useAuth();
  // Back keeps the list's filters; opened from a link or bookmark, go to the list.
  const back = () => void (location.key === 'default' ? navigate('/cmdb/cis') : navigate(-1));
  const canWrite = can('cmdb.ci.write');
  const { data: ci, error, isLoading } = useCi(id);
  const { data: classes = [] } = useCiClasses();
  const [editing, setEditing] = useState(false);
  const tab: TabKey = TABS.find((k) => k === params.get('tab')) ?? (params.has('failed') || params.has('view') ? 'impact' : 'overview');

  if (isLoading) {
    return (
      <Card variant="borderless">
        <Skeleton active />
      </Card>
    );
  }
  if (!ci) {
    const notFound = error instanceof ApiError && error.status === 404;
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? t('cmdb.ci.notFound') : t('cmdb.ci.loadFailed')}
        subTitle={error instanceof Error ? error.message : undefined}
        extra={<Button onClick={() => void navigate('/cmdb/cis')}>{t('cmdb.ci.backToList')}</Button>}
      />
    );
  }

  return (
    <PageContainer
      testId="ci-detail-page"
      title={
        <Space wrap>
          <Button type="text" icon={<ArrowLeftOutlined />} onClick={back} aria-label={t('cmdb.ci.backToList')} />
          <span data-testid="ci-title">{ci.name}</span>
          <ClassTag code={ci.classCode} name={ci.className} />
          <StatusTag status={ci.status} />
        </Space>
      }
      description={ci.ip || ci.hostname ? [ci.ip, ci.hostname].filter(Boolean).join(' · ') : undefined}
      extra={
        <>
          {MONITORED_HOST_CLASSES.has(ci.classCode) && (
            <Button icon={<LineChartOutlined />} onClick={() => void navigate(`/monitoring/hosts/${ci.id}`)} data-testid="ci-monitoring">
              {t('cmdb.ci.monitoring')}
            </Button>
          )}
          {canWrite && (
            <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
              {t('common.edit')}
            </Button>
          )}
          {canWrite && <DeleteCiButton ci={ci} variant="default" icon={<DeleteOutlined />} onDeleted={() => void navigate('/cmdb/cis')} />}
        </>
      }
    >
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(key === 'overview' ? {} : { tab: key }, { replace: true })}
        destroyOnHidden
        items={[
          { key: 'overview', label: t('cmdb.ci.tab.overview'), children: <Overview ci={ci} /> },
          { key: 'relations', label: t('cmdb.ci.tab.relations'), children: <RelationPanel ci={ci} canWrite={canWrite} /> },
          { key: 'groups', label: t('cmdb.ci.tab.groups', { count: ci.groups.length }), children: <GroupPanel ci={ci} canWrite={canWrite} /> },
          { key: 'impact', label: <span data-testid="tab-impact">{t('cmdb.ci.tab.impact')}</span>, children: <ImpactPanel ci={ci} classes={classes} /> },
        ]}
      />
      <CiFormDrawer open={editing} ci={ci} onClose={() => setEditing(false)} />
    </PageContainer>
  );
}
