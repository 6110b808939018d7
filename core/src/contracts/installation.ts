import { z } from 'zod';

const ISO = z.string().datetime({ offset: true });
/** A shop's permanent domain, as Shopify names it in session tokens and webhooks. */
export const ShopDomainSchema = z
  .string()
  .max(255)
  .regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/i, 'must be the shop’s myshopify.com domain');

/** POST /api/v1/installations/shopify: what the Shopify app hands over after the shop authorised it. */
export const ShopifyInstallationRequestSchema = z
  .object({
    shop: ShopDomainSchema,
    accessToken: z.string().min(1).max(500),
    scope: z.string().max(2000),
    /** When the (expiring) offline access token ends; null for a non-expiring one. */
    expires: ISO.nullable().optional(),
    refreshToken: z.string().min(1).max(500).nullable().optional(),
    refreshTokenExpires: ISO.nullable().optional(),
  })
  .strict();

export const ShopifyInstallationSchema = z.object({
  tenantId: z.string(),
  channelId: z.string(),
  created: z.boolean(),
  connected: z.boolean(),
  channelStatus: z.enum(['active', 'needs_reconnect', 'disconnected']),
  webhookUrl: z.string().nullable(),
});

/** GET /api/v1/installations/shopify: the shop as the core knows it; needsAuthorization tells the app to run the merchant through auth again. */
export const ShopifyInstallationStateSchema = z.object({
  shop: z.string(),
  installed: z.boolean(),
  tenantId: z.string().nullable(),
  channelId: z.string().nullable(),
  channelStatus: z.enum(['active', 'needs_reconnect', 'disconnected']).nullable(),
  statusReason: z.string().nullable(),
  hasAccessToken: z.boolean(),
  scopes: z.string().nullable(),
  needsAuthorization: z.boolean(),
});
