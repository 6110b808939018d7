import '@shopify/shopify-app-react-router/adapters/node';
import { ApiVersion, AppDistribution, shopifyApp } from '@shopify/shopify-app-react-router/server';
import { SCOPES } from './access-scopes';
import { reportInstallation } from './installation.server';
import { onePerShop } from './one-auth-per-shop.server';
import { createSessionStorage } from './session-storage.server';

const shopify = shopifyApp({
  apiKey: process.env.SHOPIFY_API_KEY,
  apiSecretKey: process.env.SHOPIFY_API_SECRET ?? '',
  apiVersion: ApiVersion.October25,
  scopes: SCOPES,
  appUrl: process.env.SHOPIFY_APP_URL ?? '',
  authPathPrefix: '/auth',
  sessionStorage: createSessionStorage(),
  distribution: AppDistribution.AppStore,
  // Public apps must move to expiring offline tokens by 2027-01-01; the library refreshes them.
  future: { expiringOfflineAccessTokens: true },
  hooks: {
    // After every token exchange (install, reinstall, re-authorisation, a renewed expiring token):
    // the core gets the shop's offline token and creates or reuses its tenant and channel. A core
    // that cannot be reached fails the request (the library answers 500); the next load, seeing
    // the core still without the shop, runs the exchange again (app/connect-shop.server.ts).
    afterAuth: async ({ session }) => {
      const installed = await reportInstallation(session);
      console.log(`Expedio core: ${session.shop} → tenant ${installed.tenantId}, channel ${installed.channelId}${installed.created ? ' (new)' : ''}`);
    },
  },
});

export default shopify;
export { SCOPES };
export const apiVersion = ApiVersion.October25;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
const admin: typeof shopify.authenticate.admin = (request) => onePerShop(request, () => shopify.authenticate.admin(request));
export const authenticate = { ...shopify.authenticate, admin };
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;
