import { Tag, Tooltip } from 'antd';
import { UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { OnCallNow } from '@yunwei/contracts/oncall';
import { useSeededText } from '../../../shared/use-seeded-text';

/** Who is on call now: names, coloured by where the answer comes from (override, rotation, nobody). */
export function OnCallTag({ now }: { now: OnCallNow }) {
  const { t } = useTranslation();
  const seeded = useSeededText();
  if (now.source === 'none') {
    return (
      <Tag color="default" data-testid="oncall-now">
        {t('oncall.source.none')}
      </Tag>
    );
  }
  const names = now.users.map((u) => seeded(u.displayName) || u.username).join('、');
  return (
    <Tooltip title={t(`oncall.source.${now.source}`)}>
      <Tag color={now.source === 'override' ? 'orange' : 'green'} icon={<UserOutlined />} data-testid="oncall-now">
        {names}
      </Tag>
    </Tooltip>
  );
}
