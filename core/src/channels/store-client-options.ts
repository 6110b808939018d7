import { DomainError } from '../shared/domain-error.ts';
import type { ChannelCredentials } from './channel-repo.ts';
import type { ShopifyAdminClientOptions } from './shopify/shopify-admin-client.ts';
import type { WooAuthMode, WooRestClientOptions } from './woocommerce/woo-rest-client.ts';

/** What a store client needs to know of its channel. */
export interface StoreChannel {
  name: string;
  externalRef: string | null;
}

/**
 * How to reach a channel's store from its decrypted credentials — for the sync connectors and the
 * write-backs alike. Missing credentials mean the store must be (re)connected.
 */
export function shopifyClientOptions(channel: StoreChannel, creds: ChannelCredentials, fetch?: typeof globalThis.fetch): ShopifyAdminClientOptions {
  if (!creds.accessToken) throw new DomainError('NEEDS_RECONNECT', `Channel ${channel.name} has no Shopify access token; reconnect the store.`, [{ path: 'channel', reason: 'no Shopify access token' }]);
  return {
    shopDomain: channel.externalRef ?? '',
    accessToken: creds.accessToken,
    ...(creds.apiVersion ? { apiVersion: creds.apiVersion } : {}),
    ...(creds.adminBaseUrl ? { baseUrl: creds.adminBaseUrl } : {}),
    ...(fetch ? { fetch } : {}),
  };
}

export function wooClientOptions(channel: StoreChannel, creds: ChannelCredentials, fetch?: typeof globalThis.fetch): WooRestClientOptions {
  if (!creds.consumerKey || !creds.consumerSecret) {
    throw new DomainError('NEEDS_RECONNECT', `Channel ${channel.name} has no WooCommerce REST keys; connect the store.`, [{ path: 'channel', reason: 'no WooCommerce REST keys' }]);
  }
  const baseUrl = creds.adminBaseUrl ?? channel.externalRef ?? '';
  return {
    baseUrl,
    consumerKey: creds.consumerKey,
    consumerSecret: creds.consumerSecret,
    authMode: wooAuthModeFor(baseUrl, creds.authMode),
    ...(fetch ? { fetch } : {}),
  };
}

/**
 * How WooCommerce authenticates a store at `baseUrl`: Basic over https, OAuth 1.0a over plain http
 * (WC_REST_Authentication reads Basic and query keys only when is_ssl()). A mode stored with the
 * channel wins — `query` for hosts that strip the Authorization header, or a proxy that tells
 * WordPress the request was https.
 */
export function wooAuthModeFor(baseUrl: string, stored?: WooAuthMode): WooAuthMode {
  if (stored) return stored;
  return /^http:/i.test(baseUrl.trim()) ? 'oauth1' : 'basic';
}
