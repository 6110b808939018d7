import { z } from 'zod';

/**
 * POST /api/v1/installations/woocommerce — what the Expedio plugin sends after creating a REST key
 * with the admin's consent (the shape WooCommerce's own wc-auth callback posts, in our names).
 */
export const WooConnectRequestSchema = z
  .object({
    storeUrl: z.string().trim().min(1).max(500).describe("WordPress's home_url(): the store's identity and where the core reaches it"),
    storeName: z.string().trim().max(200).optional().describe("The store's name (blogname), the channel's name"),
    consumerKey: z.string().regex(/^ck_[0-9a-f]{40}$/, 'must be ck_ followed by 40 hex characters'),
    consumerSecret: z.string().regex(/^cs_[0-9a-f]{40}$/, 'must be cs_ followed by 40 hex characters'),
    keyPermissions: z.literal('read_write').describe('The key must read orders and write statuses, notes and tracking'),
  })
  .strict();

export const WooConnectResponseSchema = z.object({
  channelId: z.string(),
  apiKey: z.string().describe('Bearer key for this channel only; shown once. A reconnect revokes the previous one.'),
  created: z.boolean().describe('false when the tenant already had a channel for this store URL'),
  webhookUrl: z.string().describe('Path (on the core) the order webhooks deliver to'),
  catalogSyncQueued: z.literal(true),
});
