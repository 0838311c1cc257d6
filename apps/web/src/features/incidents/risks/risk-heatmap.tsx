import { Card, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Risk } from '@yunwei/contracts/incident-problems';
import { RISK_LEVEL_COLORS, useProblemNames } from '../problems/problem-names';

const RATINGS = [1, 2, 3, 4, 5] as const;

/** Same table as the server's risk-level.ts: score = likelihood × impact. */
function levelOf(score: number): keyof typeof RISK_LEVEL_COLORS {
  return score >= 17 ? 'critical' : score >= 10 ? 'high' : score >= 5 ? 'medium' : 'low';
}

/** 可能性 × 影响 热力图: open and mitigating risks counted per cell, each cell coloured by its level. */
export function RiskHeatmap({ risks }: { risks: readonly Risk[] }) {
  const { t } = useTranslation();
  const names = useProblemNames();
  const active = risks.filter((r) => r.status === 'open' || r.status === 'mitigating');
  const count = (l: number, i: number) => active.filter((r) => r.likelihood === l && r.impact === i).length;
  const cell = { width: 44, height: 36, textAlign: 'center' as const, fontWeight: 600 };
  return (
    <Card variant="borderless" title={t('risks.heatmap.title')} data-testid="risk-heatmap">
      <div style={{ overflowX: 'auto' }}>
        <table style={{ borderCollapse: 'separate', borderSpacing: 3 }}>
          <tbody>
            {[...RATINGS].reverse().map((l) => (
              <tr key={l}>
                <td style={{ paddingRight: 6, whiteSpace: 'nowrap' }}>
                  <Typography.Text type="secondary">{l === 5 ? `${t('risks.field.likelihood')} ${l}` : l}</Typography.Text>
                </td>
                {RATINGS.map((i) => {
                  const level = levelOf(l * i);
                  const n = count(l, i);
                  return (
                    <Tooltip key={i} title={`${t('risks.field.likelihood')} ${l} × ${t('risks.field.impact')} ${i} = ${l * i}（${names.level(level)}）`}>
                      <td data-testid={`risk-cell-${l}-${i}`} style={{ ...cell, background: RISK_LEVEL_COLORS[level], opacity: n ? 1 : 0.25, color: '#fff', borderRadius: 4 }}>
                        {n || ''}
                      </td>
                    </Tooltip>
                  );
                })}
              </tr>
            ))}
            <tr>
              <td />
              {RATINGS.map((i) => (
                <td key={i} style={{ textAlign: 'center' }}>
                  <Typography.Text type="secondary">{i}</Typography.Text>
                </td>
              ))}
            </tr>
            <tr>
              <td />
              <td colSpan={5} style={{ textAlign: 'center' }}>
                <Typography.Text type="secondary">{t('risks.field.impact')}</Typography.Text>
              </td>
            </tr>
          </tbody>
        </table>
      </div>
    </Card>
  );
}
