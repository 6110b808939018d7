import { authenticate, sessionStorage } from '../shopify.server';
import type { Route } from './+types/webhooks.app.scopes_update';

// The merchant granted or revoked optional scopes: the stored session says what the token may do
// now (the core records the same topic on its own subscription).
export async function action({ request }: Route.ActionArgs) {
  const { payload, session, topic, shop } = await authenticate.webhook(request);
  console.log(`Received ${topic} webhook for ${shop}`);
  const current = (payload as { current?: unknown }).current;
  if (session && Array.isArray(current)) {
    session.scope = current.map(String).join(',');
    await sessionStorage.storeSession(session);
  }
  return new Response();
}
