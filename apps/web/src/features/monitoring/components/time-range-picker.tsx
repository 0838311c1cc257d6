import { DatePicker, Segmented, Space } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { customWindow, presetWindow, RANGE_PRESETS, type RangePreset, type TimeWindow } from '../time-range';

const PRESETS = Object.keys(RANGE_PRESETS) as RangePreset[];

/** 1 h · 6 h · 24 h · 7 d · custom (a date-time range). */
export function TimeRangePicker({ value, onChange }: { value: TimeWindow; onChange: (w: TimeWindow) => void }) {
  const { t } = useTranslation();
  return (
    <Space wrap data-testid="time-range">
      <Segmented<RangePreset | 'custom'>
        value={value.key}
        options={[...PRESETS.map((p) => ({ value: p, label: t(`monitoring.range.${p}`) })), { value: 'custom' as const, label: t('monitoring.range.custom') }]}
        onChange={(key) => {
          if (key === 'custom') {
            const { start, end } = value.resolve();
            onChange(customWindow(start, end));
          } else {
            onChange(presetWindow(key));
          }
        }}
      />
      {value.key === 'custom' && (
        <DatePicker.RangePicker
          showTime
          allowClear={false}
          value={[dayjs(value.start), dayjs(value.end)]}
          disabledDate={(d) => d.isAfter(dayjs())}
          onChange={(range) => {
            if (range?.[0] && range[1]) {
              onChange(customWindow(range[0].valueOf(), range[1].valueOf()));
            }
          }}
        />
      )}
    </Space>
  );
}
