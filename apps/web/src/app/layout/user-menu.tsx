import { Avatar, Dropdown, Space, Typography, type MenuProps } from 'antd';
import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useAuth } from '../auth-context';
import { feedback } from '../../shared/feedback';

export function UserMenu() {
  const { t } = useTranslation();
  const { session, logout } = useAuth();
  const navigate = useNavigate();
  if (!session) {
    return null;
  }

  const items: MenuProps['items'] = [
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
      <Space style={{ cursor: 'pointer' }} data-testid="user-menu" role="button" aria-label={t('header.userMenu')}>
        <Avatar size="small" style={{ backgroundColor: '#1677ff' }} icon={<UserOutlined />} />
        <Typography.Text>{session.user.displayName || session.user.username}</Typography.Text>
      </Space>
    </Dropdown>
  );
}
