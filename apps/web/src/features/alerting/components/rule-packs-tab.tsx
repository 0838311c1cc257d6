import { Button, Card, Col, Row, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../../app/auth-context';
import { runWithFeedback } from '../../../shared/confirm-mutation';
import { useInstallPack, useRulePacks } from '../api/use-alerting';

/**
 * The default rule packs (hosts, databases, HTTP services), each with what it binds to — every host,
 * every check of some types — whatever CI class they are filed under: install once, then tune the rules.
 */
export function RulePacksTab() {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const packs = useRulePacks();
  const install = useInstallPack();
  const lang = i18n.language.startsWith('zh') ? 'zh' : 'en';
  return (
    <Row gutter={[16, 16]}>
      {(packs.data ?? []).map((p) => (
        <Col key={p.id} xs={24} md={8}>
          <Card
            title={p.name[lang]}
            extra={
              p.installed >= p.rules ? (
                <Tag color="green" data-testid={`pack-installed-${p.id}`}>
                  {t('alerts.packs.done')}
                </Tag>
              ) : (
                can('alerting.rule.write') && (
                  <Button
                    size="small"
                    type="primary"
                    loading={install.isPending && install.variables === p.id}
                    onClick={() => void runWithFeedback({ run: () => install.mutateAsync(p.id), success: (r) => t('alerts.packs.installed', { count: r.created }) })}
                    data-testid={`pack-install-${p.id}`}
                  >
                    {t('alerts.packs.install')}
                  </Button>
                )
              )
            }
          >
            <Typography.Paragraph>{p.description[lang]}</Typography.Paragraph>
            <Typography.Paragraph strong data-testid={`pack-binds-${p.id}`}>
              {t('alerts.packs.binds', { binds: p.binds[lang] })}
            </Typography.Paragraph>
            <Typography.Text type="secondary">{t('alerts.packs.count', { rules: p.rules, installed: p.installed })}</Typography.Text>
          </Card>
        </Col>
      ))}
    </Row>
  );
}
