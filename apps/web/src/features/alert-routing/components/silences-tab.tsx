import { useState } from 'react';
import { Button, Popconfirm, Segmented, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { SILENCE_STATES, type Silence, type SilenceState } from '@yunwei/contracts/alert-routing';
import { DateTime } from '../../../shared/components/date-time';
import { feedback } from '../../../shared/feedback';
import { useExpireSilence, useSilences } from '../api/use-alert-routing';
import { ExpiresIn } from './expires-in';
import { MatchersView } from './matchers-view';
import { SilenceFormDrawer } from './silence-form.drawer';

const STATE_COLOR: Record<SilenceState, string> = { active: 'green', pending: 'blue', expired: 'default' };

/** Silences by state, with "expires in", a new silence, and expire-now. */
export function SilencesTab({ canWrite }: { canWrite: boolean }) {
  const { t } = useTranslation();
  const [state, setState] = useState<SilenceState | 'all'>('active');
  const silences = useSilences(state === 'all' ? undefined : state);
  const expire = useExpireSilence();
  const [creating, setCreating] = useState(false);

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
        canWrite && s.state !== 'expired' ? (
          <Popconfirm
            title={t('alertRouting.silence.expireConfirm')}
            okText={t('common.confirm')}
            cancelText={t('common.cancel')}
            onConfirm={() =>
              expire
                .mutateAsync(s.id)
                .then(() => void feedback.current?.message.success(t('alertRouting.silence.expired')))
                .catch(() => undefined)
            }
          >
            <Button type="link" size="small" danger data-testid={`silence-expire-${s.id}`}>
              {t('alertRouting.silence.expire')}
            </Button>
          </Popconfirm>
        ) : null,
    },
  ];

  return (
    <>
      <Space style={{ marginBottom: 16, width: '100%', justifyContent: 'space-between' }}>
        <Segmented<SilenceState | 'all'>
          value={state}
          onChange={setState}
          options={[...SILENCE_STATES.map((s) => ({ value: s, label: t(`alertRouting.silence.state.${s}`) })), { value: 'all', label: t('alertRouting.silence.all') }]}
          data-testid="silence-state-filter"
        />
        {canWrite && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-silence">
            {t('alertRouting.silence.create')}
          </Button>
        )}
      </Space>
      <Table<Silence> rowKey="id" columns={columns} dataSource={silences.data} loading={silences.isLoading} pagination={false} scroll={{ x: 1000 }} locale={{ emptyText: t('alertRouting.silence.empty') }} data-testid="silences-table" />
      <SilenceFormDrawer open={creating} onClose={() => setCreating(false)} />
    </>
  );
}
