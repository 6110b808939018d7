import { DomainError } from '../shared/domain-error.ts';
import type { ChannelCredentials } from './channel-repo.ts';
import type { ShopifyAdminClientOptions } from './shopify/shopify-admin-client.ts';
import type { WooRestClientOptions } from './woocommerce/woo-rest-client.ts';

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
  if (!creds.accessToken) throw new DomainError('NEEDS_RECONNECT', `Channel ${channel.name} has no Shopify access token; reconnect the store.`);
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
    throw new DomainError('NEEDS_RECONNECT', `Channel ${channel.name} has no WooCommerce REST keys; connect the store.`);
  }
  return {
    baseUrl: creds.adminBaseUrl ?? channel.externalRef ?? '',
    consumerKey: creds.consumerKey,
    consumerSecret: creds.consumerSecret,
    ...(creds.authMode ? { authMode: creds.authMode } : {}),
    ...(fetch ? { fetch } : {}),
  };
}
