import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { StatusJudgement } from '@yunwei/contracts/reports';

const COLORS = { normal: 'green', watch: 'orange', abnormal: 'red' } as const;

/** 正常 / 关注 / 异常 of a CI or business system; the reasons in the tooltip. */
export function StatusTag({ judgement }: { judgement: StatusJudgement | undefined }) {
  const { t } = useTranslation();
  if (!judgement) {
    return <>—</>;
  }
  return (
    <Tooltip
      title={
        <ul style={{ margin: 0, paddingInlineStart: 16 }}>
          {judgement.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      }
    >
      <Tag color={COLORS[judgement.level]} data-testid="status-tag" data-level={judgement.level}>
        {t(`monitoring.utilisation.statusLevel.${judgement.level}`)}
      </Tag>
    </Tooltip>
  );
}
