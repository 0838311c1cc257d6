import type { ReactNode } from 'react';
import { Card, Flex, Space, Typography } from 'antd';
import { useIsPhone } from '../use-is-phone';

interface PageContainerProps {
  title: ReactNode;
  description?: ReactNode;
  extra?: ReactNode;
  children: ReactNode;
  testId?: string;
}

/** Page title bar + content, in the spirit of ProLayout's PageContainer. */
export function PageContainer({ title, description, extra, children, testId }: PageContainerProps) {
  // A phone's 390 px need every pixel for the content.
  const phone = useIsPhone();
  return (
    <Flex vertical gap={phone ? 8 : 16} data-testid={testId}>
      <Card variant="borderless" styles={{ body: { padding: phone ? 12 : '16px 24px' } }}>
        <Flex justify="space-between" align="center" wrap gap={12}>
          <div style={{ flex: '1 1 360px', minWidth: 0 }}>
            <Typography.Title level={4} style={{ margin: 0 }}>
              {title}
            </Typography.Title>
            {description && (
              <Typography.Text type="secondary" style={{ display: 'block', marginTop: 4 }}>
                {description}
              </Typography.Text>
            )}
          </div>
          {extra && <Space wrap>{extra}</Space>}
        </Flex>
      </Card>
      {children}
    </Flex>
  );
}
