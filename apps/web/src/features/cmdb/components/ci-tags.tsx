import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CiStatus } from '@yunwei/contracts/cmdb';
import { localized } from '../../../app/i18n';
import { useLanguage } from '../../../app/use-language';
import { classColor, STATUS_COLORS } from '../cmdb-meta';

/** The class of a CI as a coloured tag (the same colour as its node in the impact graph). */
export function ClassTag({ code, name }: { code: string; name: { zh: string; en: string } | string }) {
  const [language] = useLanguage();
  const color = classColor(code);
  return (
    <Tag color={color} variant="outlined" style={{ marginInlineEnd: 0 }}>
      {typeof name === 'string' ? name : localized(name, language)}
    </Tag>
  );
}

export function StatusTag({ status }: { status: CiStatus | string }) {
  const { t } = useTranslation();
  const known = status === 'active' || status === 'maintenance' || status === 'retired';
  return <Tag color={known ? STATUS_COLORS[status] : 'default'}>{known ? t(`cmdb.status.${status}`) : status}</Tag>;
}
