import { Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { LibraryHistoryEntry } from '@yunwei/contracts/library';
import { formatDateTime } from '../../../shared/components/date-time';

/** Who changed what, newest first (from the audit trail). */
export function DocumentHistory({ entries }: { entries: LibraryHistoryEntry[] }) {
  const { t, i18n } = useTranslation();
  if (entries.length === 0) {
    return <Typography.Text type="secondary">{t('common.empty')}</Typography.Text>;
  }
  const actionName = (action: string) => (i18n.exists(`library.history.${action}`) ? t(`library.history.${action}` as 'library.history.create') : action);
  // An edit names the fields it changed (title, body, orgUnitId, changeNote): shown by their labels.
  const changed = (detail: string) =>
    t('library.history.changed', {
      fields: detail
        .split(/,\s*/)
        .map((field) => (i18n.exists(`library.history.fields.${field}`) ? t(`library.history.fields.${field}` as 'library.history.fields.body') : field))
        .join(t('library.history.separator')),
    });
  // A link names its target as `<kind>: <name>`: the kind is shown by its label (配置项：db-01).
  const linked = (detail: string) => {
    const at = detail.indexOf(': ');
    const kind = detail.slice(0, at);
    return at > 0 && i18n.exists(`library.links.kind.${kind}`) ? `${t(`library.links.kind.${kind}` as 'library.links.kind.ci')}${t('library.history.colon')}${detail.slice(at + 2)}` : detail;
  };
  const detailOf = (e: LibraryHistoryEntry) => (e.action === 'update' && e.detail ? changed(e.detail) : e.action === 'link' || e.action === 'unlink' ? linked(e.detail ?? '') : e.detail);
  return (
    <Timeline
      items={entries.map((e, i) => ({
        key: i,
        content: (
          <>
            <Typography.Text type="secondary">{formatDateTime(e.at)}</Typography.Text>{' '}
            <Typography.Text strong>{e.actor?.name ?? t('library.history.system')}</Typography.Text> {actionName(e.action)}
            {e.versionLabel && <Typography.Text type="secondary"> · {e.versionLabel}</Typography.Text>}
            {e.detail && <div>{detailOf(e)}</div>}
          </>
        ),
      }))}
    />
  );
}
