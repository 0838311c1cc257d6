import { useState } from 'react';
import { Drawer, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { LatestSeries } from '@yunwei/contracts/monitoring';
import { SeriesLabels } from '../../../shared/components/series-labels';
import { seriesSelector } from '../../../shared/selector-completion';
import { useQueryRange } from '../api/use-monitoring';
import { panelUnitOf } from '../metric-unit';
import { presetWindow, type TimeWindow } from '../time-range';
import { SeriesChart } from './series-chart';
import { TimeRangePicker } from './time-range-picker';

/** One series of 最新数据 drawn over a time window (the range query API), refreshed while the window follows now. */
export function SeriesChartDrawer({ series, onClose }: { series: LatestSeries | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [window, setWindow] = useState<TimeWindow>(() => presetWindow('1h'));
  const selector = series ? seriesSelector(series.metric, series.labels) : null;
  const { data = [], isFetching } = useQueryRange(selector, window, {}, window.live ? 15_000 : false);
  const { start, end } = window.resolve();
  return (
    <Drawer open={series !== null} onClose={onClose} size="large" title={series?.metric} extra={<TimeRangePicker value={window} onChange={setWindow} />} data-testid="latest-chart-drawer">
      {series && (
        <Flex vertical gap={12}>
          <SeriesLabels labels={series.labels} ci={series.ci} />
          <Typography.Text type="secondary" copyable={{ text: selector! }} style={{ fontFamily: 'monospace', fontSize: 12 }}>
            {selector}
          </Typography.Text>
          <SeriesChart series={data} unit={panelUnitOf(series.metric)} loading={isFetching && data.length === 0} testId="latest-chart" height={320} span={[start, end]} emptyText={t('monitoring.latest.noPoints')} />
        </Flex>
      )}
    </Drawer>
  );
}
