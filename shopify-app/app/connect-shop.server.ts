import { ExpedioCoreError, sessionTokenFromRequest } from './expedio-core.server';
import { getInstallationState, type ShopifyInstallationState } from './installation.server';
import { authenticate, sessionStorage } from './shopify.server';

export type ShopConnection =
  | { state: ShopifyInstallationState; reauthorized: boolean; error: null }
  | { state: null; reauthorized: boolean; error: { status: number; code: string; message: string } };

/**
 * authenticate.admin, then the core's view of the shop. When the core cannot work with the shop —
 * it never received the token (afterAuth failed), the store rejected the token (needs reconnect)
 * or the shop was uninstalled and came back — the merchant is sent through authorisation again:
 * the stored offline session is dropped and the library exchanges the request's session token
 * for a new offline token, whose afterAuth hands it to the core. Once per request, so a core that
 * keeps refusing shows its reason instead of looping.
 */
export async function authenticateConnected(request: Request) {
  let admin = await authenticate.admin(request);
  const sessionToken = sessionTokenFromRequest(request);
  const shop = admin.session.shop;
  let reauthorized = false;
  try {
    let state = await getInstallationState(sessionToken, shop);
    if (state.needsAuthorization) {
      reauthorized = true;
      await sessionStorage.deleteSession(admin.session.id);
      admin = await authenticate.admin(request);
      state = await getInstallationState(sessionToken, shop);
    }
    return { admin, connection: { state, reauthorized, error: null } satisfies ShopConnection };
  } catch (error) {
    if (!(error instanceof ExpedioCoreError)) throw error;
    console.error(`Expedio core: ${error.status} ${error.code} ${error.message}`);
    return { admin, connection: { state: null, reauthorized, error: { status: error.status, code: error.code, message: error.message } } satisfies ShopConnection };
  }
}
