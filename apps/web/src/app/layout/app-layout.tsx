import { Suspense, useState } from 'react';
import { Layout, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Outlet } from 'react-router';
import { AppHeader } from './app-header';
import { SideMenu } from './side-menu';
import { useLanguage } from '../use-language';
import { FullPageSpin } from '../../shared/components/full-page-spin';

const SIDER_KEY = 'yunwei.sider-collapsed';
/** English menu labels ("Notification channels", "Operations & maintenance") need more room than 中文 ones. */
const SIDER_WIDTH = { 'zh-CN': 224, en: 288 } as const;

export function AppLayout() {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const [language] = useLanguage();
  const [collapsed, setCollapsed] = useState(() => window.localStorage.getItem(SIDER_KEY) === '1');
  const toggle = () => {
    setCollapsed((value) => {
      window.localStorage.setItem(SIDER_KEY, value ? '0' : '1');
      return !value;
    });
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider
        width={SIDER_WIDTH[language]}
        collapsedWidth={64}
        collapsed={collapsed}
        trigger={null}
        style={{ position: 'sticky', top: 0, height: '100vh', overflow: 'auto' }}
      >
        <Link
          to="/"
          style={{ display: 'flex', alignItems: 'center', gap: 10, height: 56, padding: '0 19px' }}
          aria-label={t('app.name')}
        >
          <img src="/favicon.svg" alt="" width={26} height={26} />
          {!collapsed && (
            <Typography.Text strong style={{ color: '#fff', fontSize: 17, whiteSpace: 'nowrap' }}>
              {t('app.name')}
            </Typography.Text>
          )}
        </Link>
        <SideMenu collapsed={collapsed} />
      </Layout.Sider>
      <Layout>
        <AppHeader collapsed={collapsed} onToggle={toggle} />
        <Layout.Content style={{ margin: 16, minWidth: 0 }}>
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
