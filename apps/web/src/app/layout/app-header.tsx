import { Breadcrumb, Button, Layout, Space, Tooltip, theme } from 'antd';
import { ApiOutlined, MenuFoldOutlined, MenuUnfoldOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';
import { findNavItem } from '../navigation';
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
        padding: '0 16px 0 8px',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'space-between',
        borderBottom: `1px solid ${token.colorBorderSecondary}`,
        position: 'sticky',
        top: 0,
        zIndex: 10,
      }}
    >
      <Space size="middle">
        <Button
          type="text"
          icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
          onClick={onToggle}
          aria-label={collapsed ? t('header.expand') : t('header.collapse')}
        />
        <Breadcrumb items={crumbs} />
      </Space>
      <Space size="large">
        <Tooltip title={t('header.apiDocs')}>
          <Button
            type="text"
            icon={<ApiOutlined />}
            href="/api/docs"
            target="_blank"
            rel="noreferrer"
            aria-label={t('header.apiDocs')}
            data-testid="api-docs-link"
          >
            {t('header.api')}
          </Button>
        </Tooltip>
        <LanguageSwitch />
        <UserMenu />
      </Space>
    </Layout.Header>
  );
}
