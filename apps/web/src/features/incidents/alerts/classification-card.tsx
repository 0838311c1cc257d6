import { useEffect, useState } from 'react';
import { Alert, Button, Card, Descriptions, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { runWithFeedback } from '../../../shared/confirm-mutation';
import { useIncidentOptions } from '../api/use-incidents';
import { useClassifyIncident, useIncidentClassification } from './use-incident-alerts';

/**
 * 故障分类 (L3-2.3.1): the type the rules suggest and why (建议类型：… （依据：检查类型 http）), and for handlers the
 * confirmation of the type and nature — the suggestion preselected, any other type may be chosen.
 */
export function ClassificationCard({ incidentId, canWrite }: { incidentId: string; canWrite: boolean }) {
  const { t } = useTranslation();
  const c = useIncidentClassification(incidentId);
  const options = useIncidentOptions(canWrite);
  const classify = useClassifyIncident();
  const [typeId, setTypeId] = useState<string | null>(null);
  const [natureId, setNatureId] = useState<string | null>(null);
  const data = c.data;
  useEffect(() => {
    if (data) {
      setTypeId(data.type?.id ?? data.suggested?.type.id ?? null);
      setNatureId(data.nature?.id ?? null);
    }
  }, [data]);
  if (!data) {
    return null;
  }
  const confirm = () =>
    void runWithFeedback({
      run: () => classify.mutateAsync({ id: incidentId, body: { version: data.version, typeId, natureId } }),
      success: t('incidentAlerts.classified'),
    });
  return (
    <Card variant="borderless" title={t('incidentAlerts.classification')} data-testid="incident-classification">
      {data.suggested ? (
        <Alert
          type={data.confirmed ? 'success' : 'info'}
          showIcon
          title={<span data-testid="incident-suggested-type">{t('incidentAlerts.suggested', { type: data.suggested.type.path, reason: data.suggested.reason.text })}</span>}
          description={data.confirmed ? t('incidentAlerts.confirmedHelp') : t('incidentAlerts.suggestedHelp')}
          style={{ marginBottom: 12 }}
        />
      ) : (
        <Typography.Paragraph type="secondary">{t('incidentAlerts.noSuggestion')}</Typography.Paragraph>
      )}
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t('incidents.field.type')}>{data.type?.path ?? t('incidents.unclassified')}</Descriptions.Item>
        <Descriptions.Item label={t('incidents.field.nature')}>{data.nature?.name ?? t('incidents.unclassified')}</Descriptions.Item>
      </Descriptions>
      {canWrite && (
        <Space direction="vertical" style={{ width: '100%', marginTop: 8 }}>
          <Select
            value={typeId ?? undefined}
            onChange={(v: string | undefined) => setTypeId(v ?? null)}
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('incidents.typePlaceholder')}
            options={(options.data?.types ?? []).filter((x) => x.enabled).map((x) => ({ value: x.id, label: x.path }))}
            style={{ width: '100%' }}
            data-testid="incident-classify-type"
          />
          <Select
            value={natureId ?? undefined}
            onChange={(v: string | undefined) => setNatureId(v ?? null)}
            allowClear
            placeholder={t('incidents.naturePlaceholder')}
            options={(options.data?.natures ?? []).filter((x) => x.enabled).map((x) => ({ value: x.id, label: x.name }))}
            style={{ width: '100%' }}
            data-testid="incident-classify-nature"
          />
          <Button type="primary" onClick={confirm} loading={classify.isPending} data-testid="incident-classify-confirm">
            {t('incidentAlerts.confirm')}
          </Button>
        </Space>
      )}
    </Card>
  );
}
