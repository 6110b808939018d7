/**
 * The one Shopify app every installed shop runs: its client id and secret sign the session tokens
 * the embedded app sends and the webhooks Shopify delivers, for every shop alike. Read from the
 * environment by the processes that start the core (main.ts, start-product.ts); tests pass it in.
 */
export interface ShopifyAppConfig {
  /** SHOPIFY_API_KEY: the app's client id (`aud` of its session tokens). */
  apiKey: string;
  /** SHOPIFY_API_SECRET: the app's client secret (HS256 key of session tokens, HMAC key of webhooks). */
  apiSecret: string;
  /** Previous secrets still accepted during a rotation (SHOPIFY_API_SECRET_PREVIOUS, comma-separated). */
  previousApiSecrets?: string[];
  /** EXPEDIO_PUBLIC_URL: where Shopify reaches this core; the shop's webhooks are registered to `<publicUrl>/webhooks/shopify`. */
  publicUrl?: string;
  /** SHOPIFY_ADMIN_BASE_URL: serves every shop's Admin API instead of `https://<shop>` (the fake Shopify in tests; never set in production). */
  adminBaseUrl?: string;
}

export function shopifyAppConfigFromEnv(env: Record<string, string | undefined> = process.env): ShopifyAppConfig | undefined {
  const apiKey = env.SHOPIFY_API_KEY?.trim();
  const apiSecret = env.SHOPIFY_API_SECRET?.trim();
  if (!apiKey || !apiSecret) return undefined;
  const previous = (env.SHOPIFY_API_SECRET_PREVIOUS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    apiKey,
    apiSecret,
    ...(previous.length ? { previousApiSecrets: previous } : {}),
    ...(env.EXPEDIO_PUBLIC_URL ? { publicUrl: env.EXPEDIO_PUBLIC_URL.replace(/\/+$/, '') } : {}),
    ...(env.SHOPIFY_ADMIN_BASE_URL ? { adminBaseUrl: env.SHOPIFY_ADMIN_BASE_URL.replace(/\/+$/, '') } : {}),
  };
}
