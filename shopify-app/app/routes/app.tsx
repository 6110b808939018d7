import { NavMenu } from '@shopify/app-bridge-react';
import { Banner, Box, AppProvider as PolarisAppProvider } from '@shopify/polaris';
import polarisTranslations from '@shopify/polaris/locales/en.json';
import polarisStyles from '@shopify/polaris/build/esm/styles.css?url';
import { boundary } from '@shopify/shopify-app-react-router/server';
import { useEffect } from 'react';
import { Link, Outlet, useLoaderData, useNavigate, useRouteError } from 'react-router';
import { authenticateConnected } from '../connect-shop.server';
import { useT } from '../i18n';
import { localeOf } from '../i18n/locale';
import type { Route } from './+types/app';

export const links: Route.LinksFunction = () => [{ rel: 'stylesheet', href: polarisStyles }];

export async function loader({ request }: Route.LoaderArgs) {
  // Every page of the app runs here first: a shop the core cannot work with is authorised again.
  const { connection } = await authenticateConnected(request);
  const problem = connection.error
    ? connection.error.message
    : connection.state.needsAuthorization
      ? `Expedio could not connect this store${connection.state.statusReason ? `: ${connection.state.statusReason}` : ''}. Reload the app to authorise it again.`
      : null;
  return { apiKey: process.env.SHOPIFY_API_KEY ?? '', connectionProblem: problem, channelId: connection.state?.channelId ?? null, locale: localeOf(request) };
}

export default function AppLayout() {
  const { apiKey, connectionProblem } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <AppBridge apiKey={apiKey} />
      <PolarisAppProvider i18n={polarisTranslations}>
        <NavMenu>
          <Link to="/app" rel="home">
            {t('nav.orders')}
          </Link>
          <Link to="/app/shipping">{t('nav.shipping')}</Link>
          <Link to="/app/warehouse">{t('nav.warehouse')}</Link>
          <Link to="/app/stalls">{t('nav.stalls')}</Link>
          <Link to="/app/reports">{t('nav.reports')}</Link>
          <Link to="/app/settings">{t('nav.settings')}</Link>
        </NavMenu>
        {connectionProblem ? (
          <Box padding="400">
            <Banner tone="critical" title="This store is not connected to Expedio">
              <p>{connectionProblem}</p>
            </Banner>
          </Box>
        ) : null}
        <Outlet />
      </PolarisAppProvider>
    </>
  );
}

/**
 * App Bridge from Shopify's CDN (it must be, Shopify does not publish it to npm). This is what
 * @shopify/shopify-app-react-router's AppProvider does, minus its Polaris web-components
 * script: this app renders Polaris React, so that second design system would be dead weight.
 * When the CDN is unreachable the script simply fails; the page is server-rendered and still
 * works, only the admin chrome (nav menu, title bar) is missing.
 */
function AppBridge({ apiKey }: { apiKey: string }) {
  const navigate = useNavigate();
  useEffect(() => {
    // App Bridge turns clicks in the admin's nav menu into this event; route them client-side.
    const onNavigate = (event: Event) => {
      const href = (event.target as Element | null)?.getAttribute('href');
      if (href) navigate(href);
    };
    document.addEventListener('shopify:navigate', onNavigate);
    return () => document.removeEventListener('shopify:navigate', onNavigate);
  }, [navigate]);
  return <script src="https://cdn.shopify.com/shopifycloud/app-bridge.js" data-api-key={apiKey} />;
}

// Shopify's boundary turns the library's thrown responses (bounce page, 401 with the retry
// header, exit-iframe redirects) into what App Bridge expects instead of a generic error page.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: Route.HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
