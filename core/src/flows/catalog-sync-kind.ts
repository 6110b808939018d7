/** The outbox kind that pulls a channel's products, variants and locations from its store (payload `{ channelId }`); queued when a store is installed or connected. */
export const CATALOG_SYNC_KIND = 'channel.catalog_sync';
