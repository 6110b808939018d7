import { redirect } from 'react-router';
import type { Route } from './+types/_index';

// Public on purpose, the one route without authenticate.admin: it holds no data. Shopify opens
// application_url with the embedded params; keep them on the way to the app.
export async function loader({ request }: Route.LoaderArgs) {
  const url = new URL(request.url);
  if (url.searchParams.get('shop')) throw redirect(`/app?${url.searchParams.toString()}`);
  return new Response('Expedio: open this app from your Shopify admin.', {
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  });
}
