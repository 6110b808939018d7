import { authenticate } from '../../auth/index.ts';
import { isConnectCode } from '../../channels/index.ts';
import { WooConnectRequestSchema, WooConnectResponseSchema } from '../../contracts/woo-connect.ts';
import { connectWooCommerce, type WooPairing } from '../../flows/index.ts';
import type { Deps } from '../../shared/deps.ts';
import { DomainError } from '../../shared/domain-error.ts';
import { createApiRouter, errors, json, jsonBody, route } from '../openapi.ts';

/**
 * /api/v1/installations: a store connecting itself. Mounted before the /api/v1 router because its
 * bearer may also be a one-time connect code (`expc_…`), which no other route accepts.
 */
export function installationsRouter(deps: Deps) {
  const api = createApiRouter();

  api.openapi(
    route('post', '/woocommerce', {
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
