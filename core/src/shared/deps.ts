import type { Sql } from '../db/connect.ts';
import type { SecretBox } from './secret-box.ts';
import type { ShopifyAppConfig } from './shopify-app-config.ts';

/** What domain code needs from the outside world, passed in (never imported as globals). */
export interface Deps {
  sql: Sql;
  box: SecretBox;
  now: () => Date;
  /** Builds the connector for a channel; replaced in tests to point at the fake stores. */
  fetch?: typeof fetch;
  /** The Shopify app's key and secret (SHOPIFY_API_KEY / SHOPIFY_API_SECRET): verify every installed shop's session tokens and webhooks. */
  shopifyApp?: ShopifyAppConfig;
}
