import { Flex, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../app/api-client';
import { useSeriesPreview } from '../series-catalog';
import { SeriesLabels } from './series-labels';

/** Under a selector: how many series it matches now, and the first few with their CI names and newest values. */
export function SeriesPreview({ selector, testId }: { selector: string; testId?: string }) {
  const { t } = useTranslation();
  const { data, error, isFetching } = useSeriesPreview(selector);
  if (!selector.trim()) {
    return null;
  }
  const stale = data && isFetching;
  return (
    <div data-testid={testId} data-total={data?.total ?? ''} style={{ marginTop: 6, fontSize: 12, opacity: stale ? 0.6 : 1 }}>
      {error ? (
        <Typography.Text type="danger" style={{ fontSize: 12 }}>
          {/* What is wrong with the selector itself ("第 5 个字符处…"), not the request around it. */}
          {error instanceof ApiError ? (error.details?.fields?.[0]?.message ?? error.message) : error.message}
        </Typography.Text>
      ) : !data ? (
        <Spin size="small" />
      ) : (
        <Flex vertical gap={4}>
          <Typography.Text type={data.total ? 'secondary' : 'warning'} style={{ fontSize: 12 }}>
            {data.total ? t('selector.matches', { count: data.total }) : t('selector.noMatch')}
          </Typography.Text>
          {data.items.map((s) => (
            <Flex key={s.id} gap={8} align="center" wrap data-testid="preview-series">
              <Typography.Text code style={{ fontSize: 12 }}>
                {s.metric}
              </Typography.Text>
              <SeriesLabels labels={s.labels} ci={s.ci} />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {s.valueText === null ? t('selector.noValue') : `= ${s.value === null ? s.valueText : Number(s.value.toPrecision(6))}`}
              </Typography.Text>
            </Flex>
          ))}
          {data.total > data.items.length && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('selector.more', { count: data.total - data.items.length })}
            </Typography.Text>
          )}
        </Flex>
      )}
    </div>
  );
}
