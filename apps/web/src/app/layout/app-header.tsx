import { Breadcrumb, Button, Flex, Layout, Space, Tooltip, Typography, theme } from 'antd';
import { ApiOutlined, MenuFoldOutlined, MenuOutlined, MenuUnfoldOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';
import { findNavItem } from '../navigation';
import { AlertBell } from '../../features/alerting/components/alert-bell';
import { ApprovalBadge } from '../../features/approvals/components/approval-badge';
import { TOUCH_TARGET, useIsPhone } from '../../shared/use-is-phone';
import { LanguageSwitch } from './language-switch';
import { UserMenu } from './user-menu';

interface AppHeaderProps {
  collapsed: boolean;
  onToggle: () => void;
}

export function AppHeader({ collapsed, onToggle }: AppHeaderProps) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const location = useLocation();
  const item = findNavItem(location.pathname);
  // A phone has room for the current page's name only, on one line.
  const phone = useIsPhone();
  const touch = phone ? { width: TOUCH_TARGET, height: TOUCH_TARGET } : undefined;

  const crumbs = [{ title: t('nav.home') }];
  if (item) {
    crumbs.push({ title: t(`nav.groups.${item.group}`) }, { title: t(`nav.items.${item.key}`) });
  } else if (location.pathname.startsWith('/account')) {
    crumbs.push({ title: t('account.title') });
  }

  return (
    <Layout.Header
      style={{
        background: token.colorBgContainer,
        padding: phone ? '0 4px' : '0 16px 0 8px',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'space-between',
        borderBottom: `1px solid ${token.colorBorderSecondary}`,
        position: 'sticky',
        top: 0,
        zIndex: 10,
      }}
    >
      <Flex align="center" gap={phone ? 4 : 16} style={{ minWidth: 0, flex: 1 }}>
        <Button
          type="text"
          icon={phone ? <MenuOutlined /> : collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
          onClick={onToggle}
          aria-label={phone ? t('header.menu') : collapsed ? t('header.expand') : t('header.collapse')}
          aria-expanded={phone ? !collapsed : undefined}
          style={touch}
          data-testid="menu-toggle"
        />
        {phone ? (
          <Typography.Text strong ellipsis style={{ minWidth: 0, flex: 1 }} data-testid="header-title">
            {crumbs[crumbs.length - 1]!.title}
          </Typography.Text>
        ) : (
          <Breadcrumb items={crumbs} />
        )}
      </Flex>
      <Space size={phone ? 0 : 'large'}>
        <Tooltip title={t('header.apiDocs')}>
          <Button
            type="text"
            icon={<ApiOutlined />}
            href="/api/docs"
            target="_blank"
            rel="noreferrer"
            aria-label={t('header.apiDocs')}
            style={touch}
            data-testid="api-docs-link"
          >
            {!phone && t('header.api')}
          </Button>
        </Tooltip>
        <ApprovalBadge />
        <AlertBell />
        <LanguageSwitch />
        <UserMenu />
      </Space>
    </Layout.Header>
  );
}
