import { useState } from 'react';
import { Calendar, Card, Col, DatePicker, Flex, Row, Space, Tooltip, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { CalendarDay } from '@yunwei/contracts/oncall';
import { useCalendarYear } from '../api/use-oncall';
import { CalendarDayModal } from './calendar-day.modal';
import { CalendarTransfer } from './calendar-transfer';
import { localDay } from './zoned-format';

const COLOURS = {
  holiday: { background: '#fff1f0', color: '#cf1322' },
  workday: { background: '#e6f4ff', color: '#0958d9' },
} as const;
const MONTHS = Array.from({ length: 12 }, (_, i) => i);

/** A year of the business calendar: statutory holidays and 调休 workdays, one small calendar per month. */
export function BusinessCalendarTab({ canWrite }: { canWrite: boolean }) {
  const { t, i18n } = useTranslation();
  const [year, setYear] = useState(() => dayjs().year());
  const [editing, setEditing] = useState<string | null>(null);
  const calendar = useCalendarYear(year);
  const days = calendar.data?.days ?? [];
  const byDate = new Map(days.map((d) => [d.date, d]));

  return (
    <Card
      variant="borderless"
      loading={calendar.isLoading}
      title={
        <Space>
          {t('oncall.tabs.calendar')}
          <DatePicker picker="year" allowClear={false} value={dayjs(`${year}-01-01`)} onChange={(d) => d && setYear(d.year())} data-testid="calendar-year" />
        </Space>
      }
      extra={
        <Space wrap>
          <Legend />
          <CalendarTransfer year={year} canWrite={canWrite} />
        </Space>
      }
      data-testid="business-calendar"
    >
      <Typography.Paragraph type="secondary">{t(canWrite ? 'oncall.calendar.helpWrite' : 'oncall.calendar.help')}</Typography.Paragraph>
      <Row gutter={[16, 16]}>
        {MONTHS.map((m) => {
          const month = dayjs(`${year}-01-01`).month(m);
          return (
            <Col key={m} xs={24} md={12} lg={8} xl={6}>
              <Card size="small" title={localDay(month, i18n.language).format(t('oncall.calendar.monthFormat'))} data-testid={`calendar-month-${m + 1}`}>
                <Calendar
                  fullscreen={false}
                  value={month}
                  headerRender={() => null}
                  fullCellRender={(date) => <DayCell date={date} month={m} entry={byDate.get(date.format('YYYY-MM-DD'))} />}
                  onSelect={(date, info) => {
                    if (canWrite && info.source === 'date' && date.month() === m) {
                      setEditing(date.format('YYYY-MM-DD'));
                    }
                  }}
                />
              </Card>
            </Col>
          );
        })}
      </Row>
      <CalendarDayModal year={year} date={editing} days={days} onClose={() => setEditing(null)} />
    </Card>
  );
}

function DayCell({ date, month, entry }: { date: Dayjs; month: number; entry: CalendarDay | undefined }) {
  const { t, i18n } = useTranslation();
  if (date.month() !== month) {
    return <div style={{ opacity: 0.2, height: 34, lineHeight: '22px' }}>{date.date()}</div>;
  }
  const weekend = [0, 6].includes(date.day());
  const colours = entry ? COLOURS[entry.kind] : { background: 'transparent', color: weekend ? '#8c8c8c' : undefined };
  const name = entry ? (i18n.language === 'en' ? entry.name.en : entry.name.zh) || t(`oncall.calendar.kind.${entry.kind}`) : '';
  const cell = (
    <div
      data-testid={`calendar-day-${date.format('YYYY-MM-DD')}`}
      data-kind={entry?.kind ?? ''}
      style={{
        ...colours,
        height: 34,
        margin: '1px 2px',
        borderRadius: 4,
        border: entry?.source === 'user' ? `1px dashed ${colours.color}` : '1px solid transparent',
        lineHeight: '16px',
        paddingTop: 2,
      }}
    >
      <div>{date.date()}</div>
      <div style={{ fontSize: 10 }}>{entry ? t(entry.kind === 'holiday' ? 'oncall.calendar.holidayShort' : 'oncall.calendar.workdayShort') : '\u00a0'}</div>
    </div>
  );
  return entry ? <Tooltip title={`${name}${entry.source === 'user' ? ` · ${t('oncall.calendar.source.user')}` : ''}`}>{cell}</Tooltip> : cell;
}

function Legend() {
  const { t } = useTranslation();
  const swatch = (kind: keyof typeof COLOURS, label: string) => (
    <Flex align="center" gap={4}>
      <span style={{ display: 'inline-block', width: 14, height: 14, borderRadius: 3, ...COLOURS[kind] }} />
      {label}
    </Flex>
  );
  return (
    <Space size="middle">
      {swatch('holiday', t('oncall.calendar.legendHoliday'))}
      {swatch('workday', t('oncall.calendar.legendWorkday'))}
      <Flex align="center" gap={4}>
        <span style={{ display: 'inline-block', width: 14, height: 14, borderRadius: 3, border: '1px dashed #8c8c8c' }} />
        {t('oncall.calendar.source.user')}
      </Flex>
    </Space>
  );
}
