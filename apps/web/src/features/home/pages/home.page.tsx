import { Avatar, Card, Col, Empty, Flex, Row, Space, Tag, Typography } from 'antd';
import { RightOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAuth } from '../../../app/auth-context';
import { visibleNav } from '../../../app/navigation';
import { roleKindColor, useRoleKindLabel } from '../../access/role-kind';
import { DateTime } from '../../../shared/components/date-time';
import { DutyAccountsReminder } from '../../identity/components/duty-accounts-reminder';
import { PublicUrlWarning } from '../../notify/components/public-url-notice';
import { HomeState } from '../components/home-state';
import { useSeededText } from '../../../shared/use-seeded-text';

function greetingKey(): 'home.greeting.morning' | 'home.greeting.afternoon' | 'home.greeting.evening' {
  const hour = new Date().getHours();
  if (hour < 12) {
    return 'home.greeting.morning';
  }
  if (hour < 18) {
    return 'home.greeting.afternoon';
  }
  return 'home.greeting.evening';
}

export default function HomePage() {
  const { t } = useTranslation();
  const { session, can } = useAuth();
  const kindLabel = useRoleKindLabel();
  const seeded = useSeededText();
  if (!session) {
    return null;
  }
  const nav = visibleNav(can);
  const name = seeded(session.user.displayName) || session.user.username;

  return (
    <Flex vertical gap={16} data-testid="home-page">
      <DutyAccountsReminder />
      {/* Whoever can set up channels is told when the links their messages carry cannot be opened. */}
      <PublicUrlWarning enabled={can('notify.channel.write')} />
      <Card variant="borderless">
        <Flex align="center" gap={20} wrap>
          <Avatar size={64} icon={<UserOutlined />} style={{ backgroundColor: '#1677ff' }} />
          <div style={{ flex: 1, minWidth: 240 }}>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {t(greetingKey(), { name })}
            </Typography.Title>
            <Typography.Paragraph type="secondary" style={{ margin: '4px 0 8px' }}>
              {t('home.welcome')}
            </Typography.Paragraph>
            <Space size={[4, 4]} wrap>
              <Typography.Text type="secondary">{t('home.yourRoles')}</Typography.Text>
              {session.roles.length === 0 && <Typography.Text type="secondary">{t('user.noRoles')}</Typography.Text>}
              {session.roles.map((role) => (
                <Tag key={role.id} color={roleKindColor(role.kind)}>
                  {role.kind === 'custom' ? role.name : kindLabel(role.kind)}
                </Tag>
              ))}
              <Tag color={session.mfaEnabled ? 'processing' : 'default'}>
                {session.mfaEnabled ? t('home.mfaOn') : t('home.mfaOff')}
              </Tag>
            </Space>
          </div>
          <Space orientation="vertical" size={0} style={{ textAlign: 'right' }}>
            <Typography.Text type="secondary">{t('account.expiresAt')}</Typography.Text>
            <DateTime value={session.expiresAt} />
          </Space>
        </Flex>
      </Card>
      <HomeState />
      <Card variant="borderless" title={t('home.shortcuts')}>
        {nav.length === 0 ? (
          // Only an administrator can help: name the account to give a role to.
          <Empty description={t('home.noShortcuts', { username: session.user.username })} data-testid="home-no-shortcuts" />
        ) : (
          <Flex vertical gap={20}>
            {nav.map(({ group, items }) => (
              <div key={group.id}>
                <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 8 }}>
                  <group.icon /> {t(`nav.groups.${group.id}`)}
                </Typography.Text>
                <Row gutter={[16, 16]}>
                  {items.map((item) => (
                    <Col key={item.key} xs={24} sm={12} lg={8} xxl={6}>
                      <Link to={item.path} data-testid={`shortcut-${item.key}`}>
                        <Card hoverable size="small">
                          <Flex align="center" gap={12}>
                            <Avatar shape="square" style={{ backgroundColor: '#e6f4ff', color: '#1677ff' }} icon={<item.icon />} />
                            <div style={{ flex: 1, minWidth: 0 }}>
                              <Typography.Text strong>{t(`nav.items.${item.key}`)}</Typography.Text>
                              <Typography.Paragraph type="secondary" ellipsis style={{ margin: 0, fontSize: 12 }}>
                                {t(`nav.descriptions.${item.key}`)}
                              </Typography.Paragraph>
                            </div>
                            <RightOutlined style={{ color: '#bfbfbf' }} />
                          </Flex>
                        </Card>
                      </Link>
                    </Col>
                  ))}
                </Row>
              </div>
            ))}
          </Flex>
        )}
      </Card>
    </Flex>
  );
}
