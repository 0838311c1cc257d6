import { Button, Space, Tag, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { SILENCE_STATES, type Silence, type SilenceState } from '@yunwei/contracts/alert-routing';
import { DateTime } from '../../../shared/components/date-time';
import { ListTable } from '../../../shared/components/list-page';
import { ConfirmButton } from '../../../shared/confirm-mutation';
import { useUrlFilters } from '../../../shared/use-url-filters';
import { useExpireSilence, useSilences } from '../api/use-alert-routing';
import { ExpiresIn } from './expires-in';
import { MatchersView } from './matchers-view';

const STATE_COLOR: Record<SilenceState, string> = { active: 'green', pending: 'blue', expired: 'default' };

/** Silences (active first, then pending, then recently expired), with "expires in" and expire-now. */
export function SilencesTab({ canWrite, onCreate }: { canWrite: boolean; onCreate: () => void }) {
  const { t } = useTranslation();
  const filters = useUrlFilters({ state: SILENCE_STATES });
  const state = (filters.values.state || undefined) as SilenceState | undefined;
  const silences = useSilences(state);
  const expire = useExpireSilence();

  const columns: TableColumnsType<Silence> = [
    { title: t('alertRouting.field.state'), dataIndex: 'state', width: 90, render: (s: SilenceState) => <Tag color={STATE_COLOR[s]}>{t(`alertRouting.silence.state.${s}`)}</Tag> },
    {
      title: t('alertRouting.field.matchers'),
      dataIndex: 'matchers',
      render: (m: Silence['matchers'], s) => <MatchersView matchers={m} cis={s.cis} />,
    },
    { title: t('alertRouting.field.comment'), dataIndex: 'comment', ellipsis: true },
    { title: t('alertRouting.field.createdBy'), dataIndex: 'createdBy', width: 110 },
    { title: t('alertRouting.field.startsAt'), dataIndex: 'startsAt', width: 170, render: (v: number) => <DateTime value={v} /> },
    {
      title: t('alertRouting.field.endsAt'),
      dataIndex: 'endsAt',
      width: 190,
      render: (v: number, s) => (
        <Space orientation="vertical" size={0}>
          <DateTime value={v} />
          {s.state !== 'expired' && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              <ExpiresIn at={v} />
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: t('common.actions'),
      fixed: 'right',
      key: 'actions',
      width: 100,
      render: (_, s) =>
        canWrite &&
        s.state !== 'expired' && (
          <ConfirmButton
            label={t('alertRouting.silence.expire')}
            title={t('alertRouting.silence.expireConfirm')}
            okText={t('alertRouting.silence.expire')}
            run={() => expire.mutateAsync(s.id)}
            success={t('alertRouting.silence.expired')}
            testId={`silence-expire-${s.id}`}
          />
        ),
    },
  ];

  return (
    <ListTable<Silence, 'state'>
      filters={{
        state: filters,
        items: [{ key: 'state', type: 'select', placeholder: t('alertRouting.field.state'), options: SILENCE_STATES.map((s) => ({ value: s, label: t(`alertRouting.silence.state.${s}`) })) }],
      }}
      rowKey="id"
      columns={columns}
      dataSource={silences.data}
      loading={silences.isLoading}
      pagination={false}
      scroll={{ x: 1000 }}
      empty={{
        description: t('alertRouting.silence.empty'),
        action: (
          <Space wrap>
            {canWrite && (
              <Button type="primary" icon={<PlusOutlined />} onClick={onCreate} data-testid="create-silence-empty">
                {t('alertRouting.silence.create')}
              </Button>
            )}
            <Link to="/alerts">{t('alertRouting.silence.toAlerts')}</Link>
          </Space>
        ),
      }}
      data-testid="silences-table"
    />
  );
}
