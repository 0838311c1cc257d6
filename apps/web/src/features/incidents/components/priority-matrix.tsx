import { Popover, Space, Typography } from 'antd';
import { QuestionCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { INCIDENT_LEVELS, type IncidentLevel, type PriorityMatrix } from '@yunwei/contracts/incidents';
import { priorityOf } from '../incident-meta';
import { PriorityTag, useIncidentNames } from './incident-tags';

const cell = { padding: '4px 10px', border: '1px solid rgba(5, 5, 5, 0.06)', textAlign: 'center' as const };

/** 影响度 rows × 紧急度 columns; the cell of the current choice framed. */
export function PriorityMatrixTable({ matrix, impact, urgency }: { matrix: PriorityMatrix; impact?: IncidentLevel; urgency?: IncidentLevel }) {
  const { t } = useTranslation();
  const names = useIncidentNames();
  return (
    <table style={{ borderCollapse: 'collapse' }} data-testid="priority-matrix">
      <thead>
        <tr>
          <th style={cell}>
            <Typography.Text type="secondary">{t('incidents.matrix.corner')}</Typography.Text>
          </th>
          {INCIDENT_LEVELS.map((u) => (
            <th key={u} style={cell}>
              {t('incidents.matrix.urgency', { level: names.level(u) })}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {INCIDENT_LEVELS.map((i) => (
          <tr key={i}>
            <th style={cell}>{t('incidents.matrix.impact', { level: names.level(i) })}</th>
            {INCIDENT_LEVELS.map((u) => {
              const p = priorityOf(matrix, i, u);
              const here = i === impact && u === urgency;
              return (
                <td key={u} style={{ ...cell, outline: here ? '2px solid #1677ff' : undefined }}>
                  {p && <PriorityTag priority={p} />}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The priority the matrix gives now, with the matrix on hover. */
export function LivePriority({ matrix, impact, urgency }: { matrix: PriorityMatrix | undefined; impact?: IncidentLevel; urgency?: IncidentLevel }) {
  const { t } = useTranslation();
  const priority = priorityOf(matrix, impact, urgency);
  return (
    <Space size={8} data-testid="live-priority">
      {priority ? <PriorityTag priority={priority} testId="live-priority-tag" /> : <Typography.Text type="secondary">{t('common.empty')}</Typography.Text>}
      {matrix && (
        <Popover title={t('incidents.matrix.title')} content={<PriorityMatrixTable matrix={matrix} impact={impact} urgency={urgency} />}>
          <Typography.Text type="secondary" style={{ cursor: 'help' }}>
            <QuestionCircleOutlined /> {t('incidents.matrix.how')}
          </Typography.Text>
        </Popover>
      )}
    </Space>
  );
}
