import { Col, Descriptions, Row, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '@yunwei/contracts/audit';
import { JsonView } from '../../../shared/components/json-view';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Top-level keys whose values differ between before and after. */
export function changedKeys(before: unknown, after: unknown): string[] {
  if (!isRecord(before) || !isRecord(after)) {
    return [];
  }
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
}

/** The expanded row: before / after side by side, the changed fields and the chain hash. */
export function AuditDiff({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const changed = changedKeys(entry.before, entry.after);
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid={`audit-detail-${entry.id}`}>
      {changed.length > 0 && (
        <Space size={4} wrap>
          <Typography.Text type="secondary">{t('audit.changedFields')}</Typography.Text>
          {changed.map((key) => (
            <Tag key={key} color="gold">
              {key}
            </Tag>
          ))}
        </Space>
      )}
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Typography.Title level={5}>{t('audit.before')}</Typography.Title>
          <JsonView value={entry.before} testId="audit-before" />
        </Col>
        <Col xs={24} md={12}>
          <Typography.Title level={5}>{t('audit.after')}</Typography.Title>
          <JsonView value={entry.after} testId="audit-after" />
        </Col>
      </Row>
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: 'id', label: t('audit.field.id'), children: entry.id },
          { key: 'target', label: t('audit.field.targetId'), children: entry.targetId ?? t('common.empty') },
          {
            key: 'hash',
            label: t('audit.field.hash'),
            children: (
              <Typography.Text code copyable style={{ fontSize: 12, wordBreak: 'break-all' }}>
                {entry.hash}
              </Typography.Text>
            ),
          },
        ]}
      />
    </Space>
  );
}
