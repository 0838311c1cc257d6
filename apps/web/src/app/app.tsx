import { App as AntApp, ConfigProvider, theme } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { AuthProvider } from './auth-context';
import { createQueryClient } from './query-client';
import { router } from './router';
import { useLanguage } from './use-language';
import { FeedbackBridge } from '../shared/feedback';

const queryClient = createQueryClient();

export function App() {
  const [language] = useLanguage();
  return (
    <ConfigProvider
      locale={language === 'en' ? enUS : zhCN}
      // Tables as wide as their columns need: a table wider than its card scrolls inside it (and a
      // `fixed: 'right'` action column stays in view), never squeezes English headers into one word a line.
      table={{ scroll: { x: 'max-content' } }}
      theme={{
        algorithm: theme.defaultAlgorithm,
        token: { colorPrimary: '#1677ff', borderRadius: 6 },
        components: { Layout: { siderBg: '#001529', headerHeight: 56 } },
      }}
    >
      <AntApp>
        <FeedbackBridge />
        <QueryClientProvider client={queryClient}>
          <AuthProvider>
            <RouterProvider router={router} />
          </AuthProvider>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
