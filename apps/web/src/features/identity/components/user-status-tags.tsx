import { Space, Tag, Tooltip } from 'antd';
import { SafetyOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { User } from '@yunwei/contracts/identity';
import { formatDateTime } from '../../../shared/components/date-time';

export function UserStatusTags({ user }: { user: User }) {
  const { t } = useTranslation();
  return (
    <Space size={4} wrap>
      {user.status === 'active' ? (
        <Tag color="success">{t('user.status.active')}</Tag>
      ) : (
        <Tag color="default">{t('user.status.disabled')}</Tag>
      )}
      {user.locked && (
        <Tooltip title={user.lockedUntil ? t('user.lockedUntil', { time: formatDateTime(user.lockedUntil) }) : undefined}>
          <Tag color="error">{t('user.status.locked')}</Tag>
        </Tooltip>
      )}
      {user.mustChangePassword && <Tag color="warning">{t('user.status.mustChangePassword')}</Tag>}
      {user.mfaEnabled && (
        <Tooltip title={t('user.mfa.enabled')}>
          <Tag color="processing" icon={<SafetyOutlined />}>
            {t('user.status.mfa')}
          </Tag>
        </Tooltip>
      )}
    </Space>
  );
}
