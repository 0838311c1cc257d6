import { Button, Drawer, Space, Tooltip } from 'antd';
import { ExpandOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { localName } from '../../../shared/local-name';
import { useAlert } from '../api/use-alerting';
import { AlertActions } from './alert-actions';
import { AlertDetailView } from './alert-detail-view';

/** One alert over the list (desktop): its details and timeline; acknowledge and silence; open as a page. */
export function AlertDetailDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { data: alert } = useAlert(id);
  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size={640}
      title={alert ? localName(i18n.language, alert.ruleName, alert.ruleNameEn) : t('common.loading')}
      extra={
        alert && (
          <Space>
            <AlertActions alert={alert} />
            <Tooltip title={t('alerts.openPage')}>
              <Button type="text" icon={<ExpandOutlined />} onClick={() => void navigate(`/alerts/${alert.id}`)} aria-label={t('alerts.openPage')} data-testid="alert-open-page" />
            </Tooltip>
          </Space>
        )
      }
      data-testid="alert-detail"
    >
      {alert && <AlertDetailView alert={alert} />}
    </Drawer>
  );
}
