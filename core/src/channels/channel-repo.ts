import type { INTAKE_STATUSES } from '../contracts/channel-settings.ts';
import type { Db } from '../db/connect.ts';
import { DomainError } from '../shared/domain-error.ts';
import type { SecretBox } from '../shared/secret-box.ts';

export type ChannelKind = 'shopify' | 'woocommerce' | 'manual';
export type IntakeStatus = (typeof INTAKE_STATUSES)[number];

export interface Channel {
  tenantId: string;
  id: string;
  kind: ChannelKind;
  name: string;
  externalRef: string | null;
  status: 'active' | 'needs_reconnect' | 'disconnected';
  statusReason: string | null;
  createInvoice: 'off' | 'on_shipping' | 'on_paid';
  invoiceSeries: string;
  autoConfirm: boolean;
  autoCreateDeliveryNote: boolean;
  approvalRequired: boolean;
  approvalMinTotal: string | null;
  approvalFirstOrder: boolean;
  returnWindowDays: number;
  statusMapIn: Record<string, IntakeStatus>;
  priceListId: string | null;
  defaultWarehouseId: string | null;
  syncIntervalMinutes: number;
  syncCursor: string | null;
  lastSyncAt: Date | null;
  lastWebhookAt: Date | null;
  /** Whether Expedio writes available stock back to the store. */
  pushStock: boolean;
  /** Which prices the channel's invoices carry: the order's, or the channel's price list's. */
  invoicePrices: 'order' | 'price_list';
}

const COLUMNS = `tenant_id::text as "tenantId", id::text as id, kind, name, external_ref as "externalRef",
  status, status_reason as "statusReason", create_invoice as "createInvoice", invoice_series as "invoiceSeries", auto_confirm as "autoConfirm",
  auto_create_delivery_note as "autoCreateDeliveryNote", approval_required as "approvalRequired",
  approval_min_total::text as "approvalMinTotal", approval_first_order as "approvalFirstOrder",
  return_window_days as "returnWindowDays", status_map_in as "statusMapIn", price_list_id::text as "priceListId",
  default_warehouse_id::text as "defaultWarehouseId", sync_interval_minutes as "syncIntervalMinutes",
  sync_cursor as "syncCursor", last_sync_at as "lastSyncAt", last_webhook_at as "lastWebhookAt",
  push_stock as "pushStock", invoice_prices as "invoicePrices"`;

/**
 * How a platform's status word maps to the status an incoming order starts in. Editable per channel
 * (`status_map_in`); these are the defaults when the channel says nothing for a word.
 */
export const DEFAULT_STATUS_MAP_IN: Record<'shopify' | 'woocommerce', Record<string, IntakeStatus>> = {
  woocommerce: {
    // awaiting payment: kept as a draft for the operator, not reserved
    pending: 'draft',
    // awaiting a bank transfer: a real order the merchant usually ships after payment; reserved
    'on-hold': 'new',
    processing: 'new',
    completed: 'new',
    cancelled: 'cancelled',
    refunded: 'cancelled',
    failed: 'cancelled',
    trash: 'cancelled',
  },
  shopify: {
    // cash on delivery and manual payments arrive as pending: real orders to ship
    pending: 'new',
    authorized: 'new',
    paid: 'new',
    partially_paid: 'new',
    partially_refunded: 'new',
    refunded: 'new',
    voided: 'cancelled',
    cancelled: 'cancelled',
  },
};

export function intakeStatusFor(channel: Pick<Channel, 'kind' | 'statusMapIn'>, platformStatus: string): IntakeStatus {
  const word = platformStatus.toLowerCase();
  const custom = channel.statusMapIn[word];
  if (custom) return custom;
  if (channel.kind === 'manual') return 'new';
  return DEFAULT_STATUS_MAP_IN[channel.kind][word] ?? 'new';
}

export async function getChannel(db: Db, tenantId: string, channelId: string): Promise<Channel> {
  if (!/^\d{1,18}$/.test(channelId)) {
    throw new DomainError('NOT_FOUND', `Channel ${channelId} does not exist.`, [{ path: 'channelId', reason: 'unknown channel' }]);
  }
  const [row] = await db.unsafe(`select ${COLUMNS} from channels where tenant_id = $1 and id = $2`, [tenantId, channelId]);
  if (!row) {
    throw new DomainError('NOT_FOUND', `Channel ${channelId} does not exist.`, [{ path: 'channelId', reason: 'unknown channel' }]);
  }
  return row as unknown as Channel;
}

/** Webhook receivers know only the channel id from the URL; this finds its tenant. */
export async function findChannelById(db: Db, channelId: string): Promise<Channel | null> {
  if (!/^\d{1,18}$/.test(channelId)) return null;
  const [row] = await db.unsafe(`select ${COLUMNS} from channels where id = $1`, [channelId]);
  return (row as unknown as Channel) ?? null;
}

export async function findShopifyChannel(db: Db, shopDomain: string): Promise<Channel | null> {
  const [row] = await db.unsafe(`select ${COLUMNS} from channels where kind = 'shopify' and lower(external_ref) = lower($1)`, [
    shopDomain,
  ]);
  return (row as unknown as Channel) ?? null;
}

export async function listChannels(db: Db, tenantId: string): Promise<Channel[]> {
  return (await db.unsafe(`select ${COLUMNS} from channels where tenant_id = $1 order by channels.id`, [tenantId])) as unknown as Channel[];
}

/** Decrypted channel credentials (API tokens, app secret); never logged. */
export interface ChannelCredentials {
  /** Shopify: app client id and secret (webhook HMAC and session tokens), offline access token. */
  apiKey?: string;
  apiSecret?: string;
  /** Secrets accepted during a rotation besides apiSecret. */
  previousApiSecrets?: string[];
  accessToken?: string;
  /** Shopify expiring offline tokens: when the access token ends, and the refresh token with its end (ISO times). */
  accessTokenExpiresAt?: string;
  refreshToken?: string;
  refreshTokenExpiresAt?: string;
  /** Shopify: the access scopes the shop granted (comma-separated, as Shopify sends them). */
  scopes?: string;
  apiVersion?: string;
  /** Base URL of the platform's API; tests point it at the fakes. */
  adminBaseUrl?: string;
  /** WooCommerce REST keys. */
  consumerKey?: string;
  consumerSecret?: string;
  /** Forces how the WooCommerce client authenticates; unset: by the store URL's scheme (`wooAuthModeFor`). */
  authMode?: 'basic' | 'query' | 'oauth1';
}

export async function readCredentials(db: Db, box: SecretBox, tenantId: string, channelId: string): Promise<ChannelCredentials> {
  const [row] = await db<{ credentials_enc: string | null }[]>`
    select credentials_enc from channels where tenant_id = ${tenantId} and id = ${channelId}`;
  return openCredentials(box, row?.credentials_enc ?? null);
}

/** Credentials from a `channels.credentials_enc` value a caller has already read. */
export function openCredentials(box: SecretBox, sealed: string | null): ChannelCredentials {
  return sealed ? (JSON.parse(box.open(sealed)) as ChannelCredentials) : {};
}

export async function writeCredentials(
  db: Db,
  box: SecretBox,
  tenantId: string,
  channelId: string,
  credentials: ChannelCredentials,
): Promise<void> {
  await db`update channels set credentials_enc = ${box.seal(JSON.stringify(credentials))}
    where tenant_id = ${tenantId} and id = ${channelId}`;
}

export async function readWebhookSecret(db: Db, box: SecretBox, tenantId: string, channelId: string): Promise<string | null> {
  const [row] = await db<{ webhook_secret_enc: string | null }[]>`
    select webhook_secret_enc from channels where tenant_id = ${tenantId} and id = ${channelId}`;
  return row?.webhook_secret_enc ? box.open(row.webhook_secret_enc) : null;
}

export async function writeWebhookSecret(db: Db, box: SecretBox, tenantId: string, channelId: string, secret: string): Promise<void> {
  await db`update channels set webhook_secret_enc = ${box.seal(secret)} where tenant_id = ${tenantId} and id = ${channelId}`;
}

/** Store rejected our credentials: the channel shows "needs reconnect" until they are replaced. */
export async function markNeedsReconnect(db: Db, tenantId: string, channelId: string, reason: string): Promise<void> {
  await db`update channels set status = 'needs_reconnect', status_reason = ${reason}
    where tenant_id = ${tenantId} and id = ${channelId} and status <> 'disconnected'`;
}

/**
 * Remembers that the channel's webhooks arrive (the "no webhook while the store has orders" stall
 * reads it). Outside the intake transaction and at most every 30 s: every webhook updating the one
 * channel row would serialise all concurrent intakes of a shop on that row's lock.
 */
export async function touchLastWebhook(db: Db, tenantId: string, channelId: string): Promise<void> {
  // The same 30 s, remembered per process and database first: the update ran (as a round trip that
  // changed nothing) on every webhook before.
  const key = `${tenantId}:${channelId}`;
  const touched = lastTouched.get(db) ?? new Map<string, number>();
  lastTouched.set(db, touched);
  const at = touched.get(key);
  if (at !== undefined && Date.now() - at < TOUCH_EVERY_MS) return;
  touched.set(key, Date.now());
  if (touched.size > 10_000) touched.clear();
  await db`update channels set last_webhook_at = now()
    where tenant_id = ${tenantId} and id = ${channelId} and (last_webhook_at is null or last_webhook_at < now() - interval '30 seconds')`;
}
const TOUCH_EVERY_MS = 30_000;
const lastTouched = new WeakMap<Db, Map<string, number>>();
