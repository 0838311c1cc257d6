import type { ReactNode } from 'react';
import { Descriptions, Drawer, Empty, List, Space, Tag, Typography } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, ExclamationCircleFilled, MinusCircleFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { CapabilityMatrix, CapabilityRow } from '@yunwei/contracts/standard';
import { localized } from '../../../app/i18n';
import { useLanguage } from '../../../app/use-language';
import { SKILL_STATUS_COLORS, TEST_STATUS_COLORS, type TestStatus } from '../skill-status';

const TEST_ICONS: Record<TestStatus, ReactNode> = {
  passed: <CheckCircleFilled style={{ color: '#52c41a' }} />,
  failed: <CloseCircleFilled style={{ color: '#ff4d4f' }} />,
  skipped: <MinusCircleFilled style={{ color: '#bfbfbf' }} />,
  ignored: <ExclamationCircleFilled style={{ color: '#faad14' }} />,
};

interface SkillDrawerProps {
  skill: CapabilityRow | null;
  matrix: CapabilityMatrix | undefined;
  onClose: () => void;
}

export function SkillDrawer({ skill, matrix, onClose }: SkillDrawerProps) {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const level = matrix?.levels.find((item) => item.id === skill?.level);
  const fn = matrix?.functions.find((item) => item.id === skill?.functionId);

  return (
    <Drawer open={skill !== null} onClose={onClose} size={560} title={skill?.id} data-testid="skill-drawer">
      {skill && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Typography.Paragraph style={{ fontSize: 15 }}>{localized(skill, language)}</Typography.Paragraph>
          {language === 'en' ? null : (
            <Typography.Paragraph type="secondary">{skill.en}</Typography.Paragraph>
          )}
          <Descriptions
            column={1}
            bordered
            size="small"
            items={[
              {
                key: 'status',
                label: t('capability.field.status'),
                children: <Tag color={SKILL_STATUS_COLORS[skill.status]}>{t(`capability.status.${skill.status}`)}</Tag>,
              },
              { key: 'level', label: t('capability.field.level'), children: level ? localized(level, language) : skill.level },
              { key: 'function', label: t('capability.field.function'), children: fn ? localized(fn, language) : skill.functionId },
              { key: 'work', label: t('capability.field.work'), children: skill.workId },
              {
                key: 'modules',
                label: t('capability.field.modules'),
                children:
                  skill.modules.length > 0 ? (
                    <Space size={[0, 4]} wrap>
                      {skill.modules.map((module) => (
                        <Tag key={module} color="blue">
                          {module}
                        </Tag>
                      ))}
                    </Space>
                  ) : (
                    <Typography.Text type="secondary">{t('capability.noModules')}</Typography.Text>
                  ),
              },
            ]}
          />
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('capability.tests', { count: skill.tests.length })}
          </Typography.Title>
          {skill.tests.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('capability.noTests')} />
          ) : (
            <List
              size="small"
              bordered
              dataSource={skill.tests}
              renderItem={(test) => (
                <List.Item>
                  <List.Item.Meta
                    avatar={TEST_ICONS[test.status]}
                    title={test.title}
                    description={<Typography.Text type="secondary" style={{ fontSize: 12 }}>{test.file}</Typography.Text>}
                  />
                  <Tag color={TEST_STATUS_COLORS[test.status]}>
                    {t(`capability.testStatus.${test.status}`)}
                    {test.reason ? ` · ${t(`capability.testReason.${test.reason}`)}` : ''}
                  </Tag>
                </List.Item>
              )}
            />
          )}
        </Space>
      )}
    </Drawer>
  );
}
