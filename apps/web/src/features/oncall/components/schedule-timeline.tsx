import { Flex, Space, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { OnCallUser, Timeline, TimelineDay, TimelineSegment } from '@yunwei/contracts/oncall';
import { formatInZone, localDay, personColours } from './zoned-format';
import { useSeededText } from '../../../shared/use-seeded-text';

const HOURS = [0, 6, 12, 18, 24];
const LABEL_WIDTH = 150;
const ROW_HEIGHT = 26;
const OVERRIDE_STRIPES = 'repeating-linear-gradient(45deg, rgba(255,255,255,0.35) 0 4px, transparent 4px 8px)';

interface Props {
  timeline: Timeline;
  /** People in colour order (the schedule's members); others follow. */
  members?: readonly string[];
  /** Marks the current instant on its day. */
  now?: number;
}

/** One row per local day (in the schedule's time zone), a coloured bar per person on call. */
export function ScheduleTimeline({ timeline, members = [], now = Date.now() }: Props) {
  const { t } = useTranslation();
  const people = new Map(timeline.users.map((u) => [u.id, u]));
  const colours = personColours([...members, ...timeline.users.map((u) => u.id).sort()]);
  return (
    <div data-testid="oncall-timeline">
      <Legend users={timeline.users} colours={colours} />
      <Flex style={{ marginLeft: LABEL_WIDTH, position: 'relative', height: 18 }}>
        {HOURS.map((h) => (
          <Typography.Text key={h} type="secondary" style={{ position: 'absolute', left: `${(h / 24) * 100}%`, transform: h === 24 ? 'translateX(-100%)' : h ? 'translateX(-50%)' : undefined, fontSize: 12, whiteSpace: 'nowrap' }}>
            {`${String(h).padStart(2, '0')}:00`}
          </Typography.Text>
        ))}
      </Flex>
      {timeline.days.map((day) => (
        <Flex key={day.date} align="center" style={{ height: ROW_HEIGHT + 6 }} data-testid={`timeline-day-${day.date}`}>
          <DayLabel day={day} />
          <div style={{ position: 'relative', flex: 1, height: ROW_HEIGHT, background: '#f5f5f5', borderRadius: 4, overflow: 'hidden' }}>
            {timeline.segments
              .filter((s) => s.end > day.start && s.start < day.end)
              .map((s) => (
                <SegmentBar key={s.start} segment={s} day={day} people={people} colours={colours} timeZone={timeline.timeZone} />
              ))}
            {now >= day.start && now < day.end && (
              <Tooltip title={t('oncall.timeline.now')}>
                <div style={{ position: 'absolute', top: 0, bottom: 0, width: 2, background: '#ff4d4f', left: `${((now - day.start) / (day.end - day.start)) * 100}%` }} />
              </Tooltip>
            )}
          </div>
        </Flex>
      ))}
    </div>
  );
}

function Legend({ users, colours }: { users: OnCallUser[]; colours: Map<string, string> }) {
  const { t } = useTranslation();
  const seeded = useSeededText();
  const swatch = (background: string) => <span style={{ display: 'inline-block', width: 12, height: 12, borderRadius: 2, background, marginRight: 4, verticalAlign: -1 }} />;
  return (
    <Space wrap size={[16, 4]} style={{ marginBottom: 8 }}>
      {users.map((u) => (
        <span key={u.id}>
          {swatch(colours.get(u.id) ?? '#8c8c8c')}
          {seeded(u.displayName) || u.username}
        </span>
      ))}
      <span>
        {swatch(`${OVERRIDE_STRIPES}, #8c8c8c`)}
        {t('oncall.source.override')}
      </span>
      <span>
        {swatch('#f5f5f5')}
        {t('oncall.source.none')}
      </span>
    </Space>
  );
}

function DayLabel({ day }: { day: TimelineDay }) {
  const { t, i18n } = useTranslation();
  const weekend = [0, 6].includes(dayjs(day.date).day());
  const name = day.name ? (i18n.language === 'en' ? day.name.en : day.name.zh) : '';
  let tag = null;
  if (day.kind === 'workday' && weekend) {
    tag = <Tag color="blue">{t('oncall.calendar.workdayShort')}</Tag>;
  } else if (day.kind === 'holiday' && !weekend) {
    tag = <Tag color="red">{t('oncall.calendar.holidayShort')}</Tag>;
  }
  return (
    <Flex align="center" gap={4} style={{ width: LABEL_WIDTH, flex: 'none' }}>
      <Tooltip title={name || undefined}>
        <Typography.Text type={day.workday ? undefined : 'secondary'} style={{ whiteSpace: 'nowrap' }}>
          {localDay(day.date, i18n.language).format('MM-DD ddd')}
        </Typography.Text>
      </Tooltip>
      {tag}
    </Flex>
  );
}

function SegmentBar({ segment, day, people, colours, timeZone }: { segment: TimelineSegment; day: TimelineDay; people: Map<string, OnCallUser>; colours: Map<string, string>; timeZone: string }) {
  const { t } = useTranslation();
  const seeded = useSeededText();
  const span = day.end - day.start;
  const start = Math.max(segment.start, day.start);
  const end = Math.min(segment.end, day.end);
  const names = segment.userIds.map((id) => seeded(people.get(id)?.displayName ?? id)).join('、');
  const colour = (segment.userIds[0] && colours.get(segment.userIds[0])) || '#8c8c8c';
  const background = segment.source === 'override' ? `${OVERRIDE_STRIPES}, ${colour}` : colour;
  const title = `${names || t('oncall.source.none')} · ${formatInZone(segment.start, timeZone)} – ${formatInZone(segment.end, timeZone)} · ${t(`oncall.source.${segment.source}`)}`;
  if (segment.source === 'none') {
    return null;
  }
  return (
    <Tooltip title={title}>
      <div
        data-testid="timeline-segment"
        style={{ position: 'absolute', top: 0, bottom: 0, left: `${((start - day.start) / span) * 100}%`, width: `${((end - start) / span) * 100}%`, background, borderRight: '1px solid #fff', color: '#fff', fontSize: 12, lineHeight: `${ROW_HEIGHT}px`, paddingLeft: 4, overflow: 'hidden', whiteSpace: 'nowrap' }}
      >
        {names}
      </div>
    </Tooltip>
  );
}
