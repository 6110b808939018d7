/** Infrastructure shared by every area, for the processes around the core (the PDF fonts stay internal: they load lazily). */
export type { Deps } from './deps.ts';
export { DomainError, isDomainError } from './domain-error.ts';
export { createSecretBox, generateMasterKey, type SecretBox } from './secret-box.ts';
export { type ShopifyAppConfig, shopifyAppConfigFromEnv } from './shopify-app-config.ts';
export { installOutboundGuard } from './outbound-guard.ts';
