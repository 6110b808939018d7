import { NavMenu } from '@shopify/app-bridge-react';
import { AppProvider as PolarisAppProvider } from '@shopify/polaris';
import polarisTranslations from '@shopify/polaris/locales/en.json';
import polarisStyles from '@shopify/polaris/build/esm/styles.css?url';
import { boundary } from '@shopify/shopify-app-react-router/server';
import { useEffect } from 'react';
import { Link, Outlet, useLoaderData, useNavigate, useRouteError } from 'react-router';
import { authenticate } from '../shopify.server';
import type { Route } from './+types/app';

export const links: Route.LinksFunction = () => [{ rel: 'stylesheet', href: polarisStyles }];

export async function loader({ request }: Route.LoaderArgs) {
  await authenticate.admin(request);
  return { apiKey: process.env.SHOPIFY_API_KEY ?? '' };
}

export default function AppLayout() {
  const { apiKey } = useLoaderData<typeof loader>();
  return (
    <>
      <AppBridge apiKey={apiKey} />
      <PolarisAppProvider i18n={polarisTranslations}>
        <NavMenu>
          <Link to="/app" rel="home">
            Orders
          </Link>
        </NavMenu>
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
