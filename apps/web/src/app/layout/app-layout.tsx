import { Suspense, useState } from 'react';
import { ConfigProvider, Drawer, Layout, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Outlet } from 'react-router';
import { AppHeader } from './app-header';
import { SideMenu } from './side-menu';
import { useLanguage } from '../use-language';
import { FullPageSpin } from '../../shared/components/full-page-spin';
import { TOUCH_TARGET, useIsPhone } from '../../shared/use-is-phone';

const SIDER_KEY = 'yunwei.sider-collapsed';
/** English menu labels ("Notification channels", "Operations & maintenance") need more room than 中文 ones. */
const SIDER_WIDTH = { 'zh-CN': 224, en: 288 } as const;
/** On a phone the menu is a drawer over the page, leaving a strip of the page visible to tap away. */
const PHONE_MENU_WIDTH = 'min(300px, 82vw)';
/** The dark menu's background (the theme's `Layout.siderBg`). */
const SIDER_BG = '#001529';

function Brand({ collapsed, onClick }: { collapsed: boolean; onClick?: () => void }) {
  const { t } = useTranslation();
  return (
    <Link to="/" onClick={onClick} style={{ display: 'flex', alignItems: 'center', gap: 10, height: 56, padding: '0 19px' }} aria-label={t('app.name')}>
      <img src="/favicon.svg" alt="" width={26} height={26} />
      {!collapsed && (
        <Typography.Text strong style={{ color: '#fff', fontSize: 17, whiteSpace: 'nowrap' }}>
          {t('app.name')}
        </Typography.Text>
      )}
    </Link>
  );
}

export function AppLayout() {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const [language] = useLanguage();
  const phone = useIsPhone();
  const [collapsed, setCollapsed] = useState(() => window.localStorage.getItem(SIDER_KEY) === '1');
  const [menuOpen, setMenuOpen] = useState(false);
  const toggle = () => {
    if (phone) {
      setMenuOpen((open) => !open);
      return;
    }
    setCollapsed((value) => {
      window.localStorage.setItem(SIDER_KEY, value ? '0' : '1');
      return !value;
    });
  };
  const closeMenu = () => setMenuOpen(false);

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {phone ? (
        <Drawer
          open={menuOpen}
          onClose={closeMenu}
          placement="left"
          size={PHONE_MENU_WIDTH}
          closable={false}
          styles={{ body: { padding: 0, background: SIDER_BG } }}
          aria-label={t('header.menu')}
          data-testid="nav-drawer"
        >
          <Brand collapsed={false} onClick={closeMenu} />
          {/* Menu rows tall enough for a thumb. */}
          <ConfigProvider theme={{ components: { Menu: { itemHeight: TOUCH_TARGET + 4 } } }}>
            <SideMenu collapsed={false} onNavigate={closeMenu} />
          </ConfigProvider>
        </Drawer>
      ) : (
        <Layout.Sider
          width={SIDER_WIDTH[language]}
          collapsedWidth={64}
          collapsed={collapsed}
          trigger={null}
          style={{ position: 'sticky', top: 0, height: '100vh', overflow: 'auto' }}
          data-testid="nav-sider"
        >
          <Brand collapsed={collapsed} />
          <SideMenu collapsed={collapsed} />
        </Layout.Sider>
      )}
      <Layout style={{ minWidth: 0 }}>
        <AppHeader collapsed={phone ? !menuOpen : collapsed} onToggle={toggle} />
        <Layout.Content style={{ margin: phone ? 8 : 16, minWidth: 0 }}>
          <Suspense fallback={<FullPageSpin />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
        <Layout.Footer style={{ textAlign: 'center', padding: '8px 16px 16px', color: token.colorTextTertiary }}>
          {t('app.footer')}
        </Layout.Footer>
      </Layout>
    </Layout>
  );
}
