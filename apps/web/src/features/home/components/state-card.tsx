import type { ReactNode } from 'react';
import { Card, Statistic, Typography, theme } from 'antd';
import { RightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

interface StateCardProps {
  title: ReactNode;
  /** The page that shows all of it. */
  link: string;
  testId: string;
  children: ReactNode;
}

/** One card of the home page's state: a title, a link to the page behind it, counts and a short list. */
export function StateCard({ title, link, testId, children }: StateCardProps) {
  const { t } = useTranslation();
  return (
    <Card
      variant="borderless"
      title={title}
      extra={
        <Link to={link} data-testid={`${testId}-link`}>
          {t('home.state.viewAll')} <RightOutlined />
        </Link>
      }
      style={{ height: '100%' }}
      data-testid={testId}
    >
      {children}
    </Card>
  );
}

/** A count that is red (or the given colour) while it is above zero, muted at zero. */
export function CountStatistic({ title, value, color, testId, suffix }: { title: ReactNode; value: number; color?: string; testId?: string; suffix?: ReactNode }) {
  const { token } = theme.useToken();
  return (
    <div data-testid={testId} data-count={value}>
      <Statistic title={title} value={value} suffix={suffix} styles={{ content: { color: value > 0 ? (color ?? token.colorError) : token.colorTextTertiary } }} />
    </div>
  );
}

/** "N more" under a list cut short. */
export function MoreLine({ shown, total }: { shown: number; total: number }) {
  const { t } = useTranslation();
  return total > shown ? (
    <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8, fontSize: 12 }}>
      {t('home.state.more', { count: total - shown })}
    </Typography.Text>
  ) : null;
}
