/** The channels area's one entry point: other areas, flows/, http/ and the worker import from here. */

// Exports (what other areas use; keep this list the public surface of the area).
export type { ChannelAddress, ChannelOrder } from './channel-order.ts';
export { findChannelById, findShopifyChannel, getChannel, intakeStatusFor, listChannels, markNeedsReconnect, openCredentials, readCredentials, readWebhookSecret, touchLastWebhook, writeCredentials, writeWebhookSecret } from './channel-repo.ts';
export type { Channel, ChannelCredentials, ChannelKind } from './channel-repo.ts';
export { defaultWarehouseWhereMissing, getChannelSettings, updateChannelSettings } from './channel-settings.ts';
export { registerWebhookSecret } from './register-webhook-secret.ts';
export type { ShopConnector, ShopPlatform } from './shop-connector.ts';
export { SHOP_PLATFORMS, shopPlatformFor } from './shop-platforms.ts';
export { isShopifyGid, mapShopifyWebhookOrder, shopifyIdFromGid } from './shopify/map-shopify-order.ts';
export { parseShopifyJson, parseShopifyJsonWithReviver } from './shopify/parse-shopify-json.ts';
export { verifyShopifySessionToken } from './shopify/verify-session-token.ts';
export { shopifyWebhookHeaders, signShopifyBody, verifyShopifyHmac } from './shopify/verify-shopify-hmac.ts';
export { listSyncLog, syncLogOfStoreOrder, writeSyncLog } from './sync-log.ts';
export { advanceSyncCursor, dueChannels, recordSyncError, recordSyncSuccess, releaseSyncLease, takeSyncLease } from './sync-state.ts';
export { isIgnoredWooStatus, mapWooDeletedPayload, mapWooOrder } from './woocommerce/map-woo-order.ts';
export { parseWooPing, verifyWooSignature, wooWebhookHeaders } from './woocommerce/verify-woo-signature.ts';
export { courierDisplayName } from './writeback/courier-names.ts';
export { claimWebhookDelivery, forgetWebhookDeliveries } from './webhook-deliveries.ts';
export { markChannelDisconnected, recordComplianceRequest } from './compliance.ts';
export { createShopifyChannel, lockShopifyShop, recordShopifyScopes, shopifyInstallationState, storeShopifyGrant } from './shopify-installation.ts';
export type { ShopifyGrant, ShopifyInstallationState } from './shopify-installation.ts';
export { registerShopifyWebhooks, SHOPIFY_WEBHOOK_TOPICS, shopifyWebhookTopics } from './shopify/register-shopify-webhooks.ts';
export { createShopifyAdminClient } from './shopify/shopify-admin-client.ts';
export { shopifyClientOptions } from './store-client-options.ts';
export { CONNECT_CODE_TTL_MS, findConnectCode, grantConnectCode, isConnectCode, normalizeStoreUrl, spendConnectCode, upsertWooChannel, verifyWooKeys } from './woocommerce/connect-woo-store.ts';
export type { ConnectCodeGrant, WooStoreKeys } from './woocommerce/connect-woo-store.ts';
export { listActiveStoreChannels } from './store-channels.ts';
export { ensureManualChannel, manualChannel } from './manual-channel.ts';
export { refreshShopifyToken } from './shopify/refresh-shopify-token.ts';
export { getStoreMoneyBack, markStoreMoneyBackDone, recordStoreMoneyBackFailure, requestStoreMoneyBack, STORE_MONEY_BACK_ATTEMPTS, STORE_MONEY_BACK_KIND, storeMoneyBacksFor } from './money-back/store-money-backs.ts';
export type { MoneyBackLine, MoneyBackSource, StoreMoneyBack, StoreMoneyBackKind, StoreMoneyBackRequest, StoreMoneyBackState } from './money-back/store-money-backs.ts';
export { lockStoreReturnRequest, markStoreReturnTakenIn, pendingStoreReturnRequests, recordStoreReturnRequest, storeReturnOrderId, storeReturnTakenInAs } from './money-back/store-return-requests.ts';
export { mapShopifyReturnWebhook, SHOPIFY_RETURN_TOPICS } from './shopify/map-shopify-return.ts';
export { mapWooRefunds } from './woocommerce/map-woo-refunds.ts';
export type { ReceivedStoreReturn } from './money-back/store-return-requests.ts';
