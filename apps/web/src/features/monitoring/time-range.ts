/** Time windows of the monitoring pages: a preset relative to now, or a fixed custom range. */
export const RANGE_PRESETS = { '1h': 3_600_000, '6h': 6 * 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 } as const;
export type RangePreset = keyof typeof RANGE_PRESETS;

export interface TimeWindow {
  /** The preset, or 'custom'. */
  key: RangePreset | 'custom';
  /** Fixed bounds of a custom range (epoch ms); null for presets. */
  start: number | null;
  end: number | null;
  /** The bounds now. */
  resolve(): { start: number; end: number };
  /** Relative windows follow the clock: live points may be appended. */
  live: boolean;
}

export function presetWindow(key: RangePreset): TimeWindow {
  return {
    key,
    start: null,
    end: null,
    live: true,
    resolve: () => {
      const end = Date.now();
      return { start: end - RANGE_PRESETS[key], end };
    },
  };
}

export function customWindow(start: number, end: number): TimeWindow {
  return { key: 'custom', start, end, live: false, resolve: () => ({ start, end }) };
}
