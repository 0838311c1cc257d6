import { useEffect, useState, type ReactNode } from 'react';
import { Button, Card, Empty, Result, Select, Skeleton, Space, Tag, Tooltip, Typography } from 'antd';
import { ArrowDownOutlined, ArrowLeftOutlined, ArrowRightOutlined, ArrowUpOutlined, ColumnHeightOutlined, ColumnWidthOutlined, DeleteOutlined, EditOutlined, PlusOutlined, SaveOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { GRID_COLUMNS, type Panel } from '@yunwei/contracts/dashboards';
import { ApiError } from '../../../app/api-client';
import { PageContainer } from '../../../shared/components/page-container';
import { reportError } from '../../../app/query-client';
import { useDashboard, useUpdateDashboard } from '../api/use-dashboards';
import { PanelEditorModal } from '../components/panel-editor.modal';
import { PanelView } from '../components/panel-view';
import { TimeRangePicker } from '../components/time-range-picker';
import { presetWindow, type TimeWindow } from '../time-range';

const ROW_PX = 80;
const REFRESH = { off: false, '10s': 10_000, '30s': 30_000, '1m': 60_000 } as const;
type Refresh = keyof typeof REFRESH;

/** Packs panels top-down so none overlap (a panel moves down below the ones it would cover). */
function compact(panels: Panel[]): Panel[] {
  const placed: Panel[] = [];
  for (const p of [...panels].sort((a, b) => a.grid.y - b.grid.y || a.grid.x - b.grid.x)) {
    let y = 0;
    const overlaps = (yy: number) => placed.some((q) => q.grid.x < p.grid.x + p.grid.w && p.grid.x < q.grid.x + q.grid.w && q.grid.y < yy + p.grid.h && yy < q.grid.y + q.grid.h);
    while (overlaps(y)) {
      y++;
    }
    placed.push({ ...p, grid: { ...p.grid, y } });
  }
  return placed;
}

function EditControls({ panel, onChange, onEdit, onRemove }: { panel: Panel; onChange: (p: Panel) => void; onEdit: () => void; onRemove: () => void }) {
  const { t } = useTranslation();
  const g = panel.grid;
  const set = (grid: Partial<Panel['grid']>) => onChange({ ...panel, grid: { ...g, ...grid } });
  const btn = (title: string, icon: ReactNode, onClick: () => void, disabled = false) => (
    <Tooltip title={title}>
      <Button size="small" type="text" icon={icon} onClick={onClick} disabled={disabled} />
    </Tooltip>
  );
  return (
    <Space size={0} data-testid={`panel-controls-${panel.id}`}>
      {btn(t('monitoring.panel.moveLeft'), <ArrowLeftOutlined />, () => set({ x: g.x - 1 }), g.x === 0)}
      {btn(t('monitoring.panel.moveRight'), <ArrowRightOutlined />, () => set({ x: g.x + 1 }), g.x + g.w >= GRID_COLUMNS)}
      {btn(t('monitoring.panel.moveUp'), <ArrowUpOutlined />, () => set({ y: Math.max(0, g.y - 1) }), g.y === 0)}
      {btn(t('monitoring.panel.moveDown'), <ArrowDownOutlined />, () => set({ y: g.y + g.h }))}
      {btn(t('monitoring.panel.wider'), <ColumnWidthOutlined />, () => set(g.x + g.w < GRID_COLUMNS ? { w: g.w + 1 } : { x: g.x - 1, w: g.w + 1 }), g.w >= GRID_COLUMNS)}
      {btn(t('monitoring.panel.narrower'), <ColumnWidthOutlined rotate={90} />, () => set({ w: g.w - 1 }), g.w <= 2)}
      {btn(t('monitoring.panel.taller'), <ColumnHeightOutlined />, () => set({ h: Math.min(12, g.h + 1) }), g.h >= 12)}
      {btn(t('monitoring.panel.shorter'), <ColumnHeightOutlined rotate={180} />, () => set({ h: g.h - 1 }), g.h <= 2)}
      {btn(t('common.edit'), <EditOutlined />, onEdit)}
      {btn(t('common.delete'), <DeleteOutlined />, onRemove)}
    </Space>
  );
}

export default function DashboardPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const editPath = useLocation().pathname.endsWith('/edit');
  const { data, isLoading, error } = useDashboard(id);
  const update = useUpdateDashboard(id);
  const [window, setWindow] = useState<TimeWindow>(() => presetWindow('1h'));
  const [refresh, setRefresh] = useState<Refresh>('30s');
  const [draft, setDraft] = useState<Panel[] | null>(null);
  const [editing, setEditing] = useState<{ panel: Panel | null; error?: unknown } | null>(null);
  const editMode = editPath && Boolean(data?.editable);

  useEffect(() => {
    if (data && editMode && draft === null) {
      setDraft(data.panels);
    }
    if (!editMode) {
      setDraft(null);
    }
  }, [data, editMode, draft]);

  if (isLoading) {
    return <Skeleton active />;
  }
  if (!data) {
    const missing = error instanceof ApiError && error.status === 404;
    return <Result status={missing ? '404' : 'error'} title={missing ? t('monitoring.dashboards.notFound') : error?.message} extra={<Link to="/monitoring/dashboards">{t('nav.items.monitoringDashboards')}</Link>} />;
  }
  const panels = compact(editMode ? (draft ?? data.panels) : data.panels);
  const replace = (p: Panel) => setDraft(compact(panels.map((q) => (q.id === p.id ? p : q))));
  const save = async () => {
    try {
      await update.mutateAsync({ panels: draft ?? [] });
      await navigate(`/monitoring/dashboards/${id}`);
    } catch (e) {
      // A panel the server refused opens again with what is wrong on its fields.
      const at = e instanceof ApiError ? /^body\.panels\.(\d+)\./.exec(e.details?.field ?? '') : null;
      const refused = at ? (draft ?? [])[Number(at[1])] : undefined;
      if (refused) {
        setEditing({ panel: refused, error: e });
      }
      reportError(e);
    }
  };

  return (
    <PageContainer
      title={
        <Space>
          {data.name}
          {data.shared ? <Tag color="blue">{t('monitoring.dashboards.shared')}</Tag> : <Tag>{t('monitoring.dashboards.private')}</Tag>}
          {editMode && <Tag color="orange">{t('monitoring.dashboards.editing')}</Tag>}
        </Space>
      }
      description={data.description || undefined}
      testId="dashboard-page"
      extra={
        <>
          <TimeRangePicker value={window} onChange={setWindow} />
          <Select<Refresh>
            value={refresh}
            onChange={setRefresh}
            style={{ width: 130 }}
            data-testid="auto-refresh"
            options={(Object.keys(REFRESH) as Refresh[]).map((r) => ({ value: r, label: r === 'off' ? t('monitoring.dashboards.refreshOff') : t('monitoring.dashboards.refreshEvery', { every: r }) }))}
          />
          {editMode ? (
            <>
              <Button icon={<PlusOutlined />} onClick={() => setEditing({ panel: null })} data-testid="panel-add">
                {t('monitoring.panel.add')}
              </Button>
              <Button onClick={() => void navigate(`/monitoring/dashboards/${id}`)}>{t('common.cancel')}</Button>
              <Button type="primary" icon={<SaveOutlined />} loading={update.isPending} onClick={() => void save()} data-testid="dashboard-save">
                {t('common.save')}
              </Button>
            </>
          ) : (
            data.editable && (
              <Link to={`/monitoring/dashboards/${id}/edit`}>
                <Button icon={<EditOutlined />} data-testid="dashboard-edit">
                  {t('common.edit')}
                </Button>
              </Link>
            )
          )}
        </>
      }
    >
      {panels.length === 0 ? (
        <Card variant="borderless">
          {/* What to do next: add a panel (editing), or open the editor (allowed to change it). */}
          <Empty description={editMode ? t('monitoring.dashboards.noPanelsEditing') : data.editable ? t('monitoring.dashboards.noPanels') : t('monitoring.dashboards.noPanelsReadOnly')} data-testid="dashboard-empty">
            {editMode ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ panel: null })} data-testid="panel-add-empty">
                {t('monitoring.panel.add')}
              </Button>
            ) : (
              data.editable && (
                <Link to={`/monitoring/dashboards/${id}/edit`}>
                  <Button type="primary" icon={<EditOutlined />}>
                    {t('common.edit')}
                  </Button>
                </Link>
              )
            )}
          </Empty>
        </Card>
      ) : (
        <div data-testid="dashboard-grid" style={{ display: 'grid', gridTemplateColumns: `repeat(${GRID_COLUMNS}, minmax(0, 1fr))`, gridAutoRows: ROW_PX, gap: 12 }}>
          {panels.map((p) => (
            <Card
              key={p.id}
              size="small"
              variant="borderless"
              title={<Typography.Text strong>{p.title}</Typography.Text>}
              extra={editMode && <EditControls panel={p} onChange={replace} onEdit={() => setEditing({ panel: p })} onRemove={() => setDraft(panels.filter((q) => q.id !== p.id))} />}
              style={{ gridColumn: `${p.grid.x + 1} / span ${p.grid.w}`, gridRow: `${p.grid.y + 1} / span ${p.grid.h}`, minWidth: 0, overflow: 'hidden' }}
              styles={{ body: { padding: 8 } }}
            >
              <PanelView panel={p} window={window} refreshMs={REFRESH[refresh]} height={p.grid.h * ROW_PX + (p.grid.h - 1) * 12 - 56} />
            </Card>
          ))}
        </div>
      )}
      <PanelEditorModal
        open={editing !== null}
        panel={editing?.panel ?? null}
        serverError={editing?.error}
        window={window}
        onClose={() => setEditing(null)}
        onSave={(p) => {
          setDraft(compact(editing?.panel ? panels.map((q) => (q.id === p.id ? p : q)) : [...panels, p]));
          setEditing(null);
        }}
      />
    </PageContainer>
  );
}
