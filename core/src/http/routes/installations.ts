import { authenticate, authenticateShopifyApp } from '../../auth/index.ts';
import { isConnectCode, shopifyInstallationState } from '../../channels/index.ts';
import { ShopifyInstallationRequestSchema, ShopifyInstallationSchema, ShopifyInstallationStateSchema } from '../../contracts/installation.ts';
import { WooConnectRequestSchema, WooConnectResponseSchema } from '../../contracts/woo-connect.ts';
import { connectWooCommerce, installShopifyApp, type WooPairing } from '../../flows/index.ts';
import type { Deps } from '../../shared/deps.ts';
import { DomainError } from '../../shared/domain-error.ts';
import { createApiRouter, errors, json, jsonBody, route } from '../openapi.ts';

const forbidden = { 403: { description: 'The body names another shop than the session token', content: errors[401].content } } as const;

/**
 * /api/v1/installations: a store connecting itself. Mounted before the /api/v1 router and
 * authenticated on its own:
 * - Shopify: the shop may be unknown to the core yet, so the bearer is checked with the app's one
 *   key (a session token of the app, HS256 with SHOPIFY_API_SECRET, `aud` = SHOPIFY_API_KEY), never
 *   with a channel's;
 * - WooCommerce: the bearer may be a one-time connect code (`expc_…`) from the consent page, which
 *   no other route accepts, a tenant API key, or the channel's own key.
 */
export function installationsRouter(deps: Deps) {
  const api = createApiRouter();

  api.openapi(
    route('post', '/installations/shopify', {
      summary: "The Shopify app's afterAuth: create (or reuse) the shop's tenant and channel, store its offline token sealed, register its webhooks and queue the catalog sync",
      request: { body: jsonBody(ShopifyInstallationRequestSchema) },
      responses: { 200: json(ShopifyInstallationSchema, 'The shop is connected'), ...forbidden, ...errors },
    }),
    async (c) => {
      const { shopDomain } = authenticateShopifyApp(deps.shopifyApp, c.req.header('authorization'), deps.now);
      const body = c.req.valid('json');
      if (body.shop.toLowerCase() !== shopDomain) {
        throw new DomainError('FORBIDDEN', `The session token is for ${shopDomain}, not ${body.shop}.`, [{ path: 'shop', reason: 'not the shop of the session token' }]);
      }
      const result = await installShopifyApp(deps, shopDomain, {
        accessToken: body.accessToken,
        scopes: body.scope,
        accessTokenExpiresAt: body.expires ?? null,
        refreshToken: body.refreshToken ?? null,
        refreshTokenExpiresAt: body.refreshTokenExpires ?? null,
      });
      return c.json(result, 200);
    },
  );

  api.openapi(
    route('get', '/installations/shopify', {
      summary: 'The shop of the session token as the core knows it: connected, or to be authorised again',
      responses: { 200: json(ShopifyInstallationStateSchema, 'The shop’s installation'), ...errors },
    }),
    async (c) => {
      const { shopDomain } = authenticateShopifyApp(deps.shopifyApp, c.req.header('authorization'), deps.now);
      const s = await shopifyInstallationState(deps.sql, deps.box, shopDomain);
      return c.json(
        s
          ? { shop: shopDomain, installed: true, tenantId: s.tenantId, channelId: s.channelId, channelStatus: s.status, statusReason: s.statusReason, hasAccessToken: s.hasAccessToken, scopes: s.scopes, needsAuthorization: s.needsAuthorization }
          : { shop: shopDomain, installed: false, tenantId: null, channelId: null, channelStatus: null, statusReason: null, hasAccessToken: false, scopes: null, needsAuthorization: true },
        200,
      );
    },
  );

  api.openapi(
    route('post', '/installations/woocommerce', {
      summary:
        'Connect a WooCommerce store: REST keys the plugin created with the admin’s consent. Bearer: a connect code from the consent page, a tenant API key, or the channel’s own key. The keys are tried on the store first.',
      request: { body: jsonBody(WooConnectRequestSchema) },
      responses: {
        201: json(WooConnectResponseSchema, 'The channel (new or reused for this store URL) holds the keys sealed; catalog sync queued'),
        ...errors,
        403: errors[401],
        502: { description: 'The store did not answer', content: errors[401].content },
      },
    }),
    async (c) => {
      const pairing = await pairingOf(deps, c.req.header('authorization'));
      const body = c.req.valid('json');
      const result = await connectWooCommerce(deps, pairing, body);
      return c.json(
        { channelId: result.channelId, apiKey: result.apiKey, created: result.created, webhookUrl: result.webhookUrl, catalogSyncQueued: true as const },
        201,
      );
    },
  );

  return api;
}

async function pairingOf(deps: Deps, authorization: string | undefined): Promise<WooPairing> {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (token && isConnectCode(token)) return { kind: 'connect_code', code: token };
  const principal = await authenticate(deps, authorization);
  if (principal.via !== 'api_key') {
    throw new DomainError('FORBIDDEN', 'A Shopify session cannot connect a WooCommerce store.', [{ path: 'Authorization', reason: 'not an API key or connect code' }]);
  }
  return { kind: 'api_key', tenantId: principal.tenantId, channelId: principal.channelId };
}
