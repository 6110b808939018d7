import '@shopify/shopify-app-react-router/adapters/node';
import { ApiVersion, AppDistribution, shopifyApp } from '@shopify/shopify-app-react-router/server';
import { SCOPES } from './access-scopes';
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
});

export default shopify;
export { SCOPES };
export const apiVersion = ApiVersion.October25;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;
