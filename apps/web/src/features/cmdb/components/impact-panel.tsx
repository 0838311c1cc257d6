import { useMemo } from 'react';
import { Alert, Card, Col, Empty, Flex, Row, Segmented, Space, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { CiClass, CiDetail, GraphEdge, GraphNode } from '@yunwei/contracts/cmdb';
import { useAuth } from '../../../app/auth-context';
import { localized } from '../../../app/i18n';
import { useLanguage } from '../../../app/use-language';
import { Chart } from '../../../shared/components/chart';
import { useDependencies, useImpact } from '../api/use-cmdb';
import { classColor } from '../cmdb-meta';
import { layeredLayout, tallestColumn } from '../graph-layout';
import { CiPicker } from './ci-picker';
import { graphOption, type GraphMode } from './graph-option';
import { ImpactSummary } from './impact-summary';

const ID_LIST = /^[0-9a-fA-F-]{1,64}(,[0-9a-fA-F-]{1,64})*$/;

/**
 * "What is affected if this fails" / "what this depends on" as a graph, with the impacted business
 * systems listed beside it. `?view=`, `?failed=` (more CIs failing at once) and `?all=` live in the
 * URL so a what-if scenario can be shared.
 */
export function ImpactPanel({ ci, classes }: { ci: CiDetail; classes: readonly CiClass[] }) {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const mode: GraphMode = params.get('view') === 'dependencies' ? 'dependencies' : 'impact';
  const failedParam = params.get('failed') ?? '';
  const failed = useMemo(() => (ID_LIST.test(failedParam) ? failedParam.split(',').filter((x) => x !== ci.id) : []), [failedParam, ci.id]);
  const all = params.get('all') === '1';
  const impact = useImpact(ci.id, failed, mode === 'impact');
  const dependencies = useDependencies(ci.id, all, mode === 'dependencies');
  const result = mode === 'impact' ? impact : dependencies;
  const data = result.data;

  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) {
      next.set(key, value);
    } else {
      next.delete(key);
    }
    setParams(next, { replace: true });
  };

  const className = (code: string | null) => {
    const cls = classes.find((c) => c.code === code);
    return code === null ? t('cmdb.graph.group') : cls ? localized(cls.name, language) : code;
  };
  const nodeName = (n: GraphNode) => (n.restricted ? t('cmdb.graph.restricted') : n.name);
  const option = useMemo(
    () =>
      data
        ? graphOption(mode, data.nodes, data.edges, {
            nodeName,
            className,
            state: (n) => t(`cmdb.graph.state.${n.state}`) + (n.depth ? ` · ${t('cmdb.graph.hops', { count: n.depth })}` : ''),
            relation: (e: GraphEdge) => (e.type === 'member' ? t('cmdb.graph.member') : `${t(`cmdb.relationType.${e.type}`)}${e.propagates ? '' : ` (${t('cmdb.relation.noPropagation')})`}`),
            groupSummary: (n) => t('cmdb.graph.groupSummary', { minUp: n.minUp ?? 0, members: n.memberCount ?? 0, down: n.downCount ?? 0 }),
          })
        : null,
    // The texts change only with the language and the class list.
    [data, mode, language, classes],
  );

  // Room for the tallest column (a node and its label ≈ 110 px), within sensible bounds.
  const height = data ? Math.min(680, Math.max(300, 140 + tallestColumn(layeredLayout(data.nodes, data.edges)) * 110)) : 300;
  const classesShown = [...new Set((data?.nodes ?? []).filter((n) => n.kind === 'ci' && n.classCode).map((n) => n.classCode as string))];

  const knownFailed = (mode === 'impact' ? impact.data?.nodes : undefined)?.filter((n) => n.state === 'failed').map((n) => ({ id: n.id, name: n.name, classCode: n.classCode ?? '' })) ?? [];
  const businessNames = mode === 'impact' ? (impact.data?.businessSystems ?? []).map((b) => b.name) : ci.businessSystems.map((b) => b.name);

  return (
    <Row gutter={16} data-testid="impact-panel">
      <Col xs={24} xl={17}>
        <Card
          variant="borderless"
          title={
            <Segmented<GraphMode>
              value={mode}
              onChange={(v) => setParam('view', v === 'impact' ? null : v)}
              options={[
                { value: 'impact', label: t('cmdb.graph.modeImpact') },
                { value: 'dependencies', label: t('cmdb.graph.modeDependencies') },
              ]}
              data-testid="impact-mode"
            />
          }
          extra={
            mode === 'dependencies' && (
              <Space>
                <Typography.Text type="secondary">{t('cmdb.graph.includeAll')}</Typography.Text>
                <Switch size="small" checked={all} onChange={(on) => setParam('all', on ? '1' : null)} />
              </Space>
            )
          }
        >
          {mode === 'impact' && (
            <Flex gap={8} align="center" wrap style={{ marginBottom: 12 }}>
              <Typography.Text>{t('cmdb.graph.simulate')}</Typography.Text>
              <CiPicker
                multiple
                style={{ flex: '1 1 320px', maxWidth: 560 }}
                excludeIds={[ci.id]}
                known={knownFailed}
                value={failed}
                placeholder={t('cmdb.graph.simulatePlaceholder')}
                onChange={(ids) => setParam('failed', ids.join(',') || null)}
                testId="impact-failed"
              />
            </Flex>
          )}
          {data && data.nodes.length <= 1 ? (
            <Empty style={{ padding: 48 }} description={mode === 'impact' ? t('cmdb.graph.emptyImpact') : t('cmdb.graph.emptyDependencies')} data-testid="impact-empty">
              {/* The graph is drawn from the relations: recording them is the next step. */}
              {can('cmdb.ci.write') && <Link to={{ search: '?tab=relations' }}>{t('cmdb.relation.add')}</Link>}
            </Empty>
          ) : (
            <Chart
              option={option ?? {}}
              notMerge
              loading={result.isFetching && !data}
              height={height}
              testId="impact-graph"
              containerProps={{ 'data-nodes': data?.nodes.length ?? 0, 'data-business-systems': businessNames.join('|') }}
              onEvents={{
                click: (params: unknown) => {
                  const p = params as { dataType?: string; data?: { node?: GraphNode } };
                  const n = p.data?.node;
                  if (p.dataType === 'node' && n && n.kind === 'ci' && !n.restricted && n.id !== ci.id) {
                    void navigate(`/cmdb/cis/${n.id}?view=${mode}`);
                  }
                },
              }}
            />
          )}
          {classesShown.length > 0 && (
            <Flex wrap gap={12} style={{ marginTop: 8 }} data-testid="impact-legend">
              {classesShown.map((code) => (
                <Space key={code} size={4}>
                  <span style={{ display: 'inline-block', width: 10, height: 10, borderRadius: 5, background: classColor(code) }} />
                  <Typography.Text type="secondary">{className(code)}</Typography.Text>
                </Space>
              ))}
            </Flex>
          )}
          <Alert type="info" showIcon={false} style={{ marginTop: 12 }} title={mode === 'impact' ? t('cmdb.graph.legendImpact') : t('cmdb.graph.legendDependencies')} />
        </Card>
      </Col>
      <Col xs={24} xl={7}>
        <ImpactSummary mode={mode} ci={ci} impact={impact.data} dependencies={dependencies.data} className={className} />
      </Col>
    </Row>
  );
}
