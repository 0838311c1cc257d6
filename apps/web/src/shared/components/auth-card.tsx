import type { ReactNode } from 'react';
import { Card, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../app/layout/language-switch';

/** The centred card of the sign-in and forced-step pages. */
export function AuthCard({ title, subtitle, children, width = 420 }: { title: ReactNode; subtitle?: ReactNode; children: ReactNode; width?: number }) {
  const { t } = useTranslation();
  return (
    <Flex
      vertical
      align="center"
      justify="center"
      style={{
        minHeight: '100vh',
        padding: 24,
        background: 'linear-gradient(135deg, #001529 0%, #003a8c 55%, #1677ff 100%)',
        position: 'relative',
      }}
    >
      <div style={{ position: 'absolute', top: 16, right: 24 }}>
        <LanguageSwitch />
      </div>
      <Flex align="center" gap={12} style={{ marginBottom: 24 }}>
        <img src="/favicon.svg" alt="" width={40} height={40} />
        <div>
          <Typography.Title level={2} style={{ color: '#fff', margin: 0 }}>
            {t('app.name')}
          </Typography.Title>
          <Typography.Text style={{ color: 'rgba(255,255,255,0.75)' }}>{t('app.tagline')}</Typography.Text>
        </div>
      </Flex>
      <Card style={{ width: '100%', maxWidth: width, boxShadow: '0 12px 40px rgba(0,0,0,0.25)' }} styles={{ body: { padding: 32 } }}>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {title}
        </Typography.Title>
        {subtitle && (
          <Typography.Paragraph type="secondary" style={{ marginTop: -4 }}>
            {subtitle}
          </Typography.Paragraph>
        )}
        {children}
      </Card>
      <Typography.Text style={{ color: 'rgba(255,255,255,0.55)', marginTop: 24, fontSize: 12 }}>{t('app.footer')}</Typography.Text>
    </Flex>
  );
}
