import { Card, Col, Empty, List, Row, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAuth } from '../../../app/auth-context';
import { useLatest } from '../api/use-monitoring';

const COMPONENTS = [
  { component: 'temperature', metric: 'host_hw_temperature_celsius', label: 'sensor' },
  { component: 'smart', metric: 'host_hw_disk_smart_ok', label: 'device' },
  { component: 'fan', metric: 'host_hw_fan_ok', label: 'fan' },
  { component: 'power', metric: 'host_hw_power_ok', label: 'psu' },
] as const;

/**
 * Hardware status from the agent's host_hw_* series. A component the machine does not expose
 * (host_hw_available{component} = 0) is shown as "not exposed", never as a failure or zero.
 */
export function HardwareStatus({ ciId }: { ciId: string }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const { data, isLoading } = useLatest(`{__name__=~"host_hw_.*",ci="${ciId}"}`);
  if (!isLoading && (data ?? []).length === 0) {
    return (
      <Empty description={t('monitoring.hw.noData')} data-testid="hw-empty">
        {can('agents.agent.read') && <Link to="/monitoring/agents">{t('home.state.gettingStarted.goAgents')}</Link>}
      </Empty>
    );
  }
  return (
    <Row gutter={[16, 16]} data-testid="hw-status">
      {COMPONENTS.map(({ component, metric, label }) => {
        const available = data?.find((s) => s.labels.__name__ === 'host_hw_available' && s.labels.component === component)?.value;
        const values = (data ?? []).filter((s) => s.labels.__name__ === metric);
        return (
          <Col key={component} xs={24} md={12} xl={6}>
            <Card size="small" title={t(`monitoring.hw.${component}`)} loading={isLoading} data-testid={`hw-${component}`}>
              {available === 0 ? (
                <Typography.Text type="secondary">{t('monitoring.hw.notExposed')}</Typography.Text>
              ) : values.length === 0 ? (
                <Typography.Text type="secondary">{t('monitoring.hw.noValues')}</Typography.Text>
              ) : (
                <List
                  size="small"
                  dataSource={values}
                  renderItem={(s) => (
                    <List.Item extra={component === 'temperature' ? <Tag color={(s.value ?? 0) >= 80 ? 'red' : 'blue'}>{s.value?.toFixed(1)} °C</Tag> : <Tag color={s.value === 1 ? 'success' : 'error'}>{s.value === 1 ? t('monitoring.hw.ok') : t('monitoring.hw.failed')}</Tag>}>
                      {s.labels[label] ?? ''}
                    </List.Item>
                  )}
                />
              )}
            </Card>
          </Col>
        );
      })}
    </Row>
  );
}
