import { useMemo, useState } from 'react';
import { Menu, type MenuProps } from 'antd';
import { HomeOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { useAuth } from '../auth-context';
import { findNavItem, visibleNav } from '../navigation';

type MenuItem = Required<MenuProps>['items'][number];

/** `onNavigate`: called when an item is chosen (the phone's menu drawer closes then). */
export function SideMenu({ collapsed, onNavigate }: { collapsed: boolean; onNavigate?: () => void }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const location = useLocation();
  const nav = useMemo(() => visibleNav(can), [can]);
  const [openKeys, setOpenKeys] = useState<string[]>(() => nav.map((entry) => `group:${entry.group.id}`));

  const items: MenuItem[] = [
    { key: '/', icon: <HomeOutlined />, label: <Link to="/" data-testid="nav-home">{t('nav.home')}</Link> },
    ...nav.map(({ group, items: groupItems }) => ({
      key: `group:${group.id}`,
      icon: <group.icon />,
      label: t(`nav.groups.${group.id}`),
      children: groupItems.map((item) => ({
        key: item.path,
        icon: <item.icon />,
        label: (
          <Link to={item.path} data-testid={`nav-${item.key}`}>
            {t(`nav.items.${item.key}`)}
          </Link>
        ),
      })),
    })),
  ];

  const selected = findNavItem(location.pathname)?.path ?? (location.pathname === '/' ? '/' : '');

  return (
    <Menu
      theme="dark"
      mode="inline"
      items={items}
      selectedKeys={selected ? [selected] : []}
      {...(collapsed ? {} : { openKeys, onOpenChange: setOpenKeys })}
      onClick={() => onNavigate?.()}
      data-testid="side-menu"
    />
  );
}
