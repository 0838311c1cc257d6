import type { CSSProperties, HTMLAttributes } from 'react';
// The ES-module build: the CommonJS one (`lib/`) comes out of the bundler as a module object, not the component.
import ReactEChartsCore from 'echarts-for-react/esm/core';
import * as echarts from 'echarts/core';
import { BarChart, GaugeChart, GraphChart, LineChart, PieChart } from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { ComposeOption, EChartsType } from 'echarts/core';
import type {
  BarSeriesOption,
  GaugeSeriesOption,
  GraphSeriesOption,
  LineSeriesOption,
  PieSeriesOption,
} from 'echarts/charts';
import type {
  DataZoomComponentOption,
  GridComponentOption,
  LegendComponentOption,
  MarkLineComponentOption,
  TitleComponentOption,
  TooltipComponentOption,
} from 'echarts/components';

// Register only the parts Yunwei draws: the full `echarts` entry would add ~700 kB to the bundle.
echarts.use([
  LineChart,
  BarChart,
  GaugeChart,
  GraphChart,
  PieChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  TitleComponent,
  DataZoomComponent,
  MarkLineComponent,
  CanvasRenderer,
]);

/** The option type accepted by {@link Chart}: only the registered series and components. */
export type ChartOption = ComposeOption<
  | LineSeriesOption
  | BarSeriesOption
  | GaugeSeriesOption
  | GraphSeriesOption
  | PieSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
  | TitleComponentOption
  | DataZoomComponentOption
  | MarkLineComponentOption
>;

export type ChartInstance = EChartsType;

interface ChartProps {
  option: ChartOption;
  /** CSS height of the chart; the width follows the container. */
  height?: number | string;
  style?: CSSProperties;
  /** Replace the previous option instead of merging into it (use when series come and go). */
  notMerge?: boolean;
  loading?: boolean;
  testId?: string;
  /** Extra attributes for the container, e.g. `data-points` that e2e tests read. */
  containerProps?: HTMLAttributes<HTMLDivElement> & Record<`data-${string}`, string | number>;
  onEvents?: Record<string, (params: unknown) => void>;
  onReady?: (chart: ChartInstance) => void;
}

/**
 * Shared ECharts wrapper. Resizes with its container and renders on canvas.
 * Feature code builds an option; this component owns the echarts registration.
 */
export function Chart({
  option,
  height = 280,
  style,
  notMerge,
  loading,
  testId,
  containerProps,
  onEvents,
  onReady,
}: ChartProps) {
  return (
    <div data-testid={testId} {...containerProps} style={{ width: '100%', ...containerProps?.style }}>
      <ReactEChartsCore
        echarts={echarts}
        option={option}
        notMerge={notMerge}
        lazyUpdate
        showLoading={loading}
        style={{ height, width: '100%', ...style }}
        onEvents={onEvents}
        onChartReady={onReady}
        opts={{ renderer: 'canvas' }}
      />
    </div>
  );
}
