import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter } from 'react-router';
import type { SessionState } from '@yunwei/contracts/identity';
import { AppLayout } from './layout/app-layout';
import { NAV_ITEMS } from './navigation';
import { RequirePending, RequireSession } from './guards/require-session';
import { RequirePermission } from './guards/require-permission';
import { FullPageSpin } from '../shared/components/full-page-spin';
import { NotFoundResult } from '../shared/components/forbidden-result';
import { RouteError } from '../shared/components/route-error';
import { DUTY_SETUP_PERMISSION, pathAfterFirstSignIn } from '../features/identity/first-sign-in';

const LoginPage = lazy(() => import('../features/identity/pages/login.page'));
const ForcedPasswordPage = lazy(() => import('../features/identity/pages/forced-password.page'));
const ForcedMfaEnrolPage = lazy(() => import('../features/identity/pages/forced-mfa-enrol.page'));
const HomePage = lazy(() => import('../features/home/pages/home.page'));
const AccountPage = lazy(() => import('../features/identity/pages/account.page'));
const DutyAccountsSetupPage = lazy(() => import('../features/identity/pages/duty-accounts-setup.page'));
const PublicStatusPage = lazy(() => import('../features/status-pages/pages/public-status.page'));

/** Once the forced steps are done, the system administrator goes on to the first-day wizard. */
const afterFirstSignIn = (session: SessionState) => pathAfterFirstSignIn(session.permissions);

function Standalone({ children }: { children: ReactNode }) {
  return <Suspense fallback={<FullPageSpin />}>{children}</Suspense>;
}

/** Pages inside the shell: the home page, "my account", then one route per NAV_ITEMS entry. */
const shellPages = [
  { index: true, element: <HomePage /> },
  { path: 'account', element: <AccountPage /> },
  ...NAV_ITEMS.flatMap((item) =>
    [{ path: item.path, page: item.page }, ...(item.subPages ?? [])].map((entry) => ({
      path: entry.path.replace(/^\//, ''),
      element: (
        <RequirePermission permission={item.permission}>
          <entry.page />
        </RequirePermission>
      ),
    })),
  ),
  { path: '*', element: <NotFoundResult /> },
];

export const router = createBrowserRouter([
  {
    errorElement: <RouteError />,
    children: [
      {
        path: '/login',
        element: (
          <Standalone>
            <LoginPage />
          </Standalone>
        ),
      },
      {
        // A business system's public status page: no sign-in, outside the signed-in shell.
        path: '/status/:slug',
        element: (
          <Standalone>
            <PublicStatusPage />
          </Standalone>
        ),
      },
      {
        path: '/change-password',
        element: (
          <Standalone>
            <RequirePending step="password" next={afterFirstSignIn}>
              <ForcedPasswordPage />
            </RequirePending>
          </Standalone>
        ),
      },
      {
        path: '/mfa-enrol',
        element: (
          <Standalone>
            <RequirePending step="mfa-enrol" next={afterFirstSignIn}>
              <ForcedMfaEnrolPage />
            </RequirePending>
          </Standalone>
        ),
      },
      {
        // The first-day wizard (三员分立), right after the system administrator's first sign-in.
        path: '/setup/duty-accounts',
        element: (
          <Standalone>
            <RequireSession>
              <RequirePermission permission={DUTY_SETUP_PERMISSION}>
                <DutyAccountsSetupPage />
              </RequirePermission>
            </RequireSession>
          </Standalone>
        ),
      },
      {
        path: '/',
        element: (
          <RequireSession>
            <AppLayout />
          </RequireSession>
        ),
        // A failing page keeps the menu and header around it.
        children: [{ errorElement: <RouteError />, children: shellPages }],
      },
    ],
  },
]);
