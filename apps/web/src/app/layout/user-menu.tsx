import { Avatar, Dropdown, Space, Typography, type MenuProps } from 'antd';
import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useAuth } from '../auth-context';
import { feedback } from '../../shared/feedback';
import { TOUCH_TARGET, useIsPhone } from '../../shared/use-is-phone';
import { useSeededText } from '../../shared/use-seeded-text';

export function UserMenu() {
  const { t } = useTranslation();
  const { session, logout } = useAuth();
  const navigate = useNavigate();
  // On a phone the avatar alone (the name is in the menu).
  const phone = useIsPhone();
  const seeded = useSeededText();
  if (!session) {
    return null;
  }

  // The first administrator's name as seeded reads in the current language.
  const name = seeded(session.user.displayName) || session.user.username;
  const items: MenuProps['items'] = [
    ...(phone ? [{ key: 'name', label: name, disabled: true }, { type: 'divider' as const }] : []),
    { key: 'account', icon: <UserOutlined />, label: t('header.account') },
    { type: 'divider' },
    { key: 'logout', icon: <LogoutOutlined />, label: t('header.logout'), danger: true },
  ];
  const onClick: MenuProps['onClick'] = ({ key }) => {
    if (key === 'account') {
      void navigate('/account');
    }
    if (key === 'logout') {
      void logout().then(() => {
        void feedback.current?.message.success(t('header.logoutSuccess'));
        void navigate('/login', { replace: true });
      });
    }
  };

  return (
    <Dropdown menu={{ items, onClick }} placement="bottomRight" trigger={['click']}>
      <Space
        style={phone ? { cursor: 'pointer', width: TOUCH_TARGET, height: TOUCH_TARGET, justifyContent: 'center' } : { cursor: 'pointer' }}
        data-testid="user-menu"
        role="button"
        aria-label={t('header.userMenu')}
      >
        <Avatar size="small" style={{ backgroundColor: '#1677ff' }} icon={<UserOutlined />} />
        {!phone && <Typography.Text>{name}</Typography.Text>}
      </Space>
    </Dropdown>
  );
}
