import { Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CapabilityMatrix, CapabilityRow } from '@yunwei/contracts/standard';
import { localized } from '../../../app/i18n';
import { useLanguage } from '../../../app/use-language';
import { SKILL_STATUS_COLORS } from '../skill-status';

type Named = CapabilityMatrix['functions'][number];

interface MatrixGridProps {
  matrix: CapabilityMatrix;
  skills: CapabilityRow[];
  levelIds: string[];
  functionIds: string[];
  onSelect: (skill: CapabilityRow) => void;
}

/** Rows: the five functions; columns: levels L4 → L1; each skill a coloured tag. */
export function MatrixGrid({ matrix, skills, levelIds, functionIds, onSelect }: MatrixGridProps) {
  const { t } = useTranslation();
  const [language] = useLanguage();
  const levels = matrix.levels.filter((level) => levelIds.length === 0 || levelIds.includes(level.id));
  const functions = matrix.functions.filter((fn) => functionIds.length === 0 || functionIds.includes(fn.id));

  const columns: TableColumnsType<Named> = [
    {
      title: t('capability.field.function'),
      key: 'function',
      width: 170,
      fixed: 'left',
      render: (_, fn) => (
        <Typography.Text strong>
          {fn.id}. {localized(fn, language)}
        </Typography.Text>
      ),
    },
    ...levels.map((level) => ({
      title: (
        <span>
          {level.id} <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>{localized(level, language)}</Typography.Text>
        </span>
      ),
      key: level.id,
      render: (_: unknown, fn: Named) => {
        const cell = skills.filter((skill) => skill.level === level.id && skill.functionId === fn.id);
        if (cell.length === 0) {
          return <Typography.Text type="secondary">{t('common.empty')}</Typography.Text>;
        }
        return cell.map((skill) => (
          <Tooltip key={skill.id} title={localized(skill, language)}>
            <Tag
              className="yw-skill-tag"
              color={SKILL_STATUS_COLORS[skill.status]}
              onClick={() => onSelect(skill)}
              role="button"
              tabIndex={0}
              onKeyDown={(event) => {
                if (event.key === 'Enter' || event.key === ' ') {
                  onSelect(skill);
                }
              }}
              aria-label={`${skill.id} ${t(`capability.status.${skill.status}`)}`}
              data-testid={`skill-${skill.id}`}
            >
              {skill.id}
            </Tag>
          </Tooltip>
        ));
      },
    })),
  ];

  return (
    <Table<Named>
      rowKey="id"
      bordered
      size="middle"
      pagination={false}
      columns={columns}
      dataSource={functions}
      scroll={{ x: 1000 }}
      data-testid="capability-grid"
    />
  );
}
