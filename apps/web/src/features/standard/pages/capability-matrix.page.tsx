import { useMemo, useState } from 'react';
import { Alert, Badge, Button, Card, Col, Empty, Flex, Progress, Row, Segmented, Select, Skeleton, Space, Statistic, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { shortCommit, type CapabilityRow } from '@yunwei/contracts/standard';
import { localized } from '../../../app/i18n';
import { useLanguage } from '../../../app/use-language';
import { useCapabilityMatrix } from '../api/use-matrix';
import { MatrixGrid } from '../components/matrix-grid';
import { SkillDrawer } from '../components/skill-drawer';
import { SKILL_STATUSES, type SkillStatus } from '../skill-status';
import { PageContainer } from '../../../shared/components/page-container';
import { formatDateTime } from '../../../shared/components/date-time';

type StatusFilter = SkillStatus | 'all';

export default function CapabilityMatrixPage() {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const { data: matrix, isLoading, isFetching, refetch } = useCapabilityMatrix();
  const [levelIds, setLevelIds] = useState<string[]>([]);
  const [functionIds, setFunctionIds] = useState<string[]>([]);
  const [status, setStatus] = useState<StatusFilter>('all');
  const [selected, setSelected] = useState<CapabilityRow | null>(null);

  const counts = useMemo(() => {
    const result: Record<SkillStatus, number> = { proven: 0, failing: 0, unproven: 0 };
    for (const skill of matrix?.skills ?? []) {
      result[skill.status] += 1;
    }
    return result;
  }, [matrix]);
  const skills = useMemo(
    () => (matrix?.skills ?? []).filter((skill) => status === 'all' || skill.status === status),
    [matrix, status],
  );

  const total = matrix?.total ?? 0;
  const percent = total > 0 ? Math.round(((matrix?.proven ?? 0) / total) * 1000) / 10 : 0;

  return (
    <PageContainer
      title={t('nav.items.capability')}
      description={t('capability.description')}
      testId="capability-page"
      extra={
        <Button icon={<ReloadOutlined />} loading={isFetching} onClick={() => void refetch()}>
          {t('common.refresh')}
        </Button>
      }
    >
      {isLoading ? (
        <Card variant="borderless">
          <Skeleton active paragraph={{ rows: 10 }} />
        </Card>
      ) : !matrix ? (
        <Card variant="borderless">
          <Empty description={t('capability.unavailable')}>
            <Button icon={<ReloadOutlined />} loading={isFetching} onClick={() => void refetch()}>
              {t('common.retry')}
            </Button>
          </Empty>
        </Card>
      ) : (
        <>
          {matrix.generatedAt === null && (
            // Every skill reads 未验证 until a test run is reported: say how to produce the report.
            <Alert
              type="info"
              showIcon
              title={t('capability.neverGenerated')}
              description={t('capability.howToGenerate')}
              data-testid="capability-no-report"
            />
          )}
          <Card variant="borderless">
            <Row gutter={[24, 16]} align="middle">
              <Col xs={24} md={8}>
                <Statistic
                  title={t('capability.summaryTitle')}
                  value={matrix.proven}
                  suffix={`/ ${total}`}
                  data-testid="capability-summary"
                />
                <Typography.Text type="secondary">{t('capability.summary', { proven: matrix.proven, total })}</Typography.Text>
              </Col>
              <Col xs={24} md={10}>
                <Progress percent={percent} status={counts.failing > 0 ? 'exception' : 'normal'} />
                <Space size="large" style={{ marginTop: 8 }} wrap>
                  {SKILL_STATUSES.map((key) => (
                    <Badge
                      key={key}
                      status={key === 'proven' ? 'success' : key === 'failing' ? 'error' : 'default'}
                      text={`${t(`capability.status.${key}`)} ${counts[key]}`}
                    />
                  ))}
                </Space>
              </Col>
              <Col xs={24} md={6}>
                <Typography.Text type="secondary">
                  {matrix.generatedAt
                    ? t('capability.generatedAt', { time: formatDateTime(matrix.generatedAt) })
                    : t('capability.neverGenerated')}
                </Typography.Text>
                {matrix.testedAt !== null && (
                  <Typography.Paragraph type="secondary" style={{ margin: 0 }} data-testid="capability-tested-at">
                    {t('capability.testedAt', { time: formatDateTime(matrix.testedAt), commit: matrix.commit ? shortCommit(matrix.commit) : '—' })}
                  </Typography.Paragraph>
                )}
              </Col>
            </Row>
          </Card>
          <Card variant="borderless">
            <Flex gap={12} wrap style={{ marginBottom: 16 }}>
              <Select
                mode="multiple"
                allowClear
                style={{ minWidth: 220 }}
                placeholder={t('capability.filter.level')}
                value={levelIds}
                onChange={setLevelIds}
                options={matrix.levels.map((level) => ({ value: level.id, label: `${level.id} ${localized(level, language)}` }))}
              />
              <Select
                mode="multiple"
                allowClear
                style={{ minWidth: 260 }}
                placeholder={t('capability.filter.function')}
                value={functionIds}
                onChange={setFunctionIds}
                options={matrix.functions.map((fn) => ({ value: fn.id, label: `${fn.id}. ${localized(fn, language)}` }))}
              />
              <Segmented<StatusFilter>
                value={status}
                onChange={setStatus}
                options={[
                  { value: 'all', label: t('capability.filter.all') },
                  ...SKILL_STATUSES.map((key) => ({ value: key, label: t(`capability.status.${key}`) })),
                ]}
              />
            </Flex>
            <MatrixGrid matrix={matrix} skills={skills} levelIds={levelIds} functionIds={functionIds} onSelect={setSelected} />
          </Card>
        </>
      )}
      <SkillDrawer skill={selected} matrix={matrix} onClose={() => setSelected(null)} />
    </PageContainer>
  );
}
