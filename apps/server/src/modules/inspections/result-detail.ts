import { pickText, type Locale } from '@yunwei/contracts/i18n';

/**
 * The details evaluation writes into a record's rows. A row is part of a signed record, so it keeps
 * one stored text: these English forms, which readers get in their own language (`detailIn`). Other
 * details (per-series values such as `cpu=0: 93.2`, a manual item's guidance) read the same in both.
 */
export const DETAIL = {
  noSeries: 'no series',
  noSample: 'no sample',
  lastSample: (at: number) => `last sample ${new Date(at).toISOString()}`,
} as const;

const LAST_SAMPLE = /^last sample (\d{4}-\d{2}-\d{2}T[\d:.]+Z)$/;

/** A stored detail in the reader's language. */
export function detailIn(detail: string, locale: Locale): string {
  if (detail === DETAIL.noSeries) {
    return pickText({ zh: '没有收到该指标的序列', en: 'no series of this metric has been received' }, locale);
  }
  if (detail === DETAIL.noSample) {
    return pickText({ zh: '时间窗口内没有样本', en: 'no sample in the time window' }, locale);
  }
  const last = LAST_SAMPLE.exec(detail);
  if (last) {
    return pickText({ zh: `最新样本时间 ${last[1]}`, en: `last sample at ${last[1]}` }, locale);
  }
  return detail;
}
