import { authenticate, sessionStorage } from '../shopify.server';
import type { Route } from './+types/webhooks.app.uninstalled';

// Order and compliance webhooks go to the Expedio core; this app only forgets the shop's
// sessions so that a reinstall starts with a fresh token exchange.
export async function action({ request }: Route.ActionArgs) {
  const { shop, session, topic } = await authenticate.webhook(request);
  console.log(`Received ${topic} webhook for ${shop}`);
  // Shopify may redeliver after the sessions are already gone; deleting again is harmless.
  if (session) {
    const sessions = await sessionStorage.findSessionsByShop(shop);
    await sessionStorage.deleteSessions(sessions.map((s) => s.id));
  }
  return new Response();
}
