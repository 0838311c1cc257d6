import { Space, Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { LatestSeries } from '@yunwei/contracts/monitoring';

/**
 * A series' labels as tags, its CI by name (the `ci` label holds an id; a series mapped to a CI by a
 * rule has no `ci` label but still names its CI).
 */
export function SeriesLabels({ labels, ci }: { labels: Record<string, string>; ci: LatestSeries['ci'] }) {
  const { t } = useTranslation();
  const rest = Object.entries(labels).filter(([k]) => k !== 'ci');
  return (
    <Space size={[4, 4]} wrap>
      {ci && (
        <Tooltip title={ci.id}>
          <Tag color="blue" data-testid="series-ci" style={{ marginInlineEnd: 0 }}>
            {t('selector.ci')}: {ci.name ?? t('selector.unknownCi', { id: ci.id })}
          </Tag>
        </Tooltip>
      )}
      {rest.map(([k, v]) => (
        <Tag key={k} style={{ marginInlineEnd: 0, fontFamily: 'monospace' }}>
          {k}={v}
        </Tag>
      ))}
    </Space>
  );
}
