import { useEffect } from 'react';
import { Button, Form, Input, Modal, Radio, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { CALENDAR_DAY_KINDS, type CalendarDay, type CalendarDayInput, type CalendarDayKind } from '@yunwei/contracts/oncall';
import { ApiError } from '../../../app/api-client';
import { feedback } from '../../../shared/feedback';
import { useSaveCalendarYear } from '../api/use-oncall';
import { localDay } from './zoned-format';

interface FormValues {
  kind: CalendarDayKind;
  nameZh?: string;
  nameEn?: string;
}

interface Props {
  year: number;
  /** The date being edited (`YYYY-MM-DD`); null: closed. */
  date: string | null;
  /** Every entry of the year (seeded and administrators'). */
  days: CalendarDay[];
  onClose: () => void;
}

const toInput = (d: CalendarDay): CalendarDayInput => ({ date: d.date, kind: d.kind, name: d.name });

/** The year is saved whole: `body.days.<n>.name.zh` of the refused day is this form's nameZh (a date error stays in the message). */
const DAY_FIELDS: Record<string, keyof FormValues> = { kind: 'kind', 'name.zh': 'nameZh', 'name.en': 'nameEn' };

function dayFieldErrors(error: unknown): { name: keyof FormValues; errors: string[] }[] {
  if (!(error instanceof ApiError)) {
    return [];
  }
  return (error.details?.fields ?? []).flatMap(({ field, message }) => {
    const name = DAY_FIELDS[/^body\.days\.\d+\.(.+)$/.exec(field)?.[1] ?? ''];
    return name ? [{ name, errors: [message] }] : [];
  });
}

/**
 * Marks a day as a holiday or a (调休) workday. The year's administrator entries are saved together
 * (PUT replaces them); "restore" drops this date's entry so the seeded day, if any, applies again.
 */
export function CalendarDayModal({ year, date, days, onClose }: Props) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const save = useSaveCalendarYear();
  const entry = days.find((d) => d.date === date);
  const weekend = date ? [0, 6].includes(dayjs(date).day()) : false;

  useEffect(() => {
    if (date) {
      form.resetFields();
      form.setFieldsValue({ kind: entry?.kind ?? (weekend ? 'workday' : 'holiday'), nameZh: entry?.name.zh ?? '', nameEn: entry?.name.en ?? '' });
    }
  }, [date, entry, weekend, form]);

  const others = days.filter((d) => d.source === 'user' && d.date !== date).map(toInput);
  const write = (list: CalendarDayInput[]) =>
    save.mutate(
      { year, days: list },
      {
        onSuccess: () => {
          void feedback.current?.message.success(t('common.saved'));
          onClose();
        },
        onError: (error) => form.setFields(dayFieldErrors(error)),
      },
    );

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (values && date) {
      write([...others, { date, kind: values.kind, name: { zh: values.nameZh?.trim() ?? '', en: values.nameEn?.trim() ?? '' } }]);
    }
  };

  return (
    <Modal
      open={date !== null}
      title={date ? t('oncall.calendar.dayTitle', { date: localDay(date, i18n.language).format('YYYY-MM-DD ddd') }) : ''}
      onCancel={onClose}
      forceRender
      footer={
        <Space>
          {entry?.source === 'user' && (
            <Button onClick={() => write(others)} loading={save.isPending} data-testid="calendar-day-restore">
              {t('oncall.calendar.restore')}
            </Button>
          )}
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" onClick={() => void submit()} loading={save.isPending} data-testid="calendar-day-save">
            {t('common.save')}
          </Button>
        </Space>
      }
      data-testid="calendar-day-form"
    >
      {entry && (
        <Typography.Paragraph type="secondary">
          {t('oncall.calendar.current', { kind: t(`oncall.calendar.kind.${entry.kind}`), source: t(`oncall.calendar.source.${entry.source}`) })}
        </Typography.Paragraph>
      )}
      <Form form={form} layout="vertical" name="calendar-day-form">
        <Form.Item name="kind" label={t('oncall.calendar.kindLabel')} extra={t('oncall.help.dayKind')}>
          <Radio.Group optionType="button" buttonStyle="solid" options={CALENDAR_DAY_KINDS.map((k) => ({ value: k, label: t(`oncall.calendar.kind.${k}`) }))} data-testid="calendar-day-kind" />
        </Form.Item>
        <Form.Item name="nameZh" label={t('oncall.calendar.nameZh')} rules={[{ max: 50 }]}>
          <Input placeholder={t('oncall.calendar.namePlaceholder')} data-testid="calendar-day-name" />
        </Form.Item>
        <Form.Item name="nameEn" label={t('oncall.calendar.nameEn')} rules={[{ max: 50 }]}>
          <Input />
        </Form.Item>
      </Form>
    </Modal>
  );
}
