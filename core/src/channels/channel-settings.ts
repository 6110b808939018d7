import type { ChannelSettings, ChannelSettingsPatch } from '../contracts/channel-settings.ts';
import type { Db, Sql } from '../db/connect.ts';
import { channelNotificationsSchema, parseChannelNotifications } from '../notifications/index.ts';
import { DomainError, type ErrorDetail } from '../shared/domain-error.ts';
import type { SecretBox } from '../shared/secret-box.ts';
import { DEFAULT_STATUS_MAP_IN, getChannel, type Channel } from './channel-repo.ts';
import { shopPlatformFor } from './shop-platforms.ts';
import { DEFAULT_STATUS_MAP_OUT } from './writeback/status-map-out.ts';

type Json = Record<string, unknown>;
type NotificationsPatch = NonNullable<ChannelSettingsPatch['notifications']>;

/** The settings the patch keys write, by column (the keys the API names are the Channel's fields). */
const COLUMN_OF = {
  statusMapIn: 'status_map_in',
  statusMapOut: 'status_map_out',
  priceListId: 'price_list_id',
  defaultWarehouseId: 'default_warehouse_id',
  createInvoice: 'create_invoice',
  autoCreateDeliveryNote: 'auto_create_delivery_note',
  autoConfirm: 'auto_confirm',
  approvalRequired: 'approval_required',
  approvalMinTotal: 'approval_min_total',
  approvalFirstOrder: 'approval_first_order',
  returnWindowDays: 'return_window_days',
  invoiceSeries: 'invoice_series',
  syncIntervalMinutes: 'sync_interval_minutes',
  pushStock: 'push_stock',
  invoicePrices: 'invoice_prices',
} as const satisfies Record<Exclude<keyof ChannelSettingsPatch, 'notifications'>, string>;

/** The tenant-scoped foreign keys of 001_foundation.sql: another tenant's id fails them, named by the field. */
const FIELD_OF_CONSTRAINT: Record<string, { path: string; what: string }> = {
  channels_tenant_id_price_list_id_fkey: { path: 'priceListId', what: 'price list' },
  channels_tenant_id_default_warehouse_id_fkey: { path: 'defaultWarehouseId', what: 'warehouse' },
};

export async function getChannelSettings(db: Db, tenantId: string, channelId: string): Promise<ChannelSettings> {
  const channel = await getChannel(db, tenantId, channelId);
  const [row] = await db<{ statusMapOut: Json | null; notifications: Json | null }[]>`
    select status_map_out as "statusMapOut", notifications from channels where tenant_id = ${tenantId} and id = ${channelId}`;
  return present(channel, row?.statusMapOut ?? {}, row?.notifications ?? {});
}

/**
 * Writes only the keys the patch gives, in one transaction under the channel's row lock (the
 * notifications document is read, merged and written back, so two saves cannot lose each other's
 * fields). A WhatsApp token arrives in clear and is stored sealed.
 */
export async function updateChannelSettings(sql: Sql, box: SecretBox, tenantId: string, channelId: string, patch: ChannelSettingsPatch): Promise<ChannelSettings> {
  const channel = await getChannel(sql, tenantId, channelId);
  if (patch.statusMapOut && Object.keys(patch.statusMapOut).length > 0 && !shopPlatformFor(channel.kind)?.orderStatus) {
    throw new DomainError('VALIDATION', `Channel ${channelId} (${channel.kind}) takes no order status from Expedio; it has no outbound status mapping.`, [
      { path: 'statusMapOut', reason: `a ${channel.kind} channel takes no order status` },
    ]);
  }
  try {
    return await sql.begin(async (tx) => {
      const [row] = await tx<{ notifications: Json | null }[]>`
        select notifications from channels where tenant_id = ${tenantId} and id = ${channelId} for update`;
      const cols: Record<string, unknown> = {};
      for (const [key, column] of Object.entries(COLUMN_OF)) {
        const value = patch[key as keyof typeof COLUMN_OF];
        if (value === undefined) continue;
        cols[column] = value !== null && typeof value === 'object' ? tx.json(value as never) : value;
      }
      if (patch.notifications) cols.notifications = tx.json(mergeNotifications(row?.notifications ?? {}, patch.notifications, box) as never);
      if (Object.keys(cols).length > 0) await tx`update channels set ${tx(cols)} where tenant_id = ${tenantId} and id = ${channelId}`;
      return await getChannelSettings(tx, tenantId, channelId);
    });
  } catch (e) {
    const field = FIELD_OF_CONSTRAINT[(e as { constraint_name?: string }).constraint_name ?? ''];
    if ((e as { code?: string }).code === '23503' && field) {
      const id = field.path === 'priceListId' ? patch.priceListId : patch.defaultWarehouseId;
      throw new DomainError('VALIDATION', `There is no ${field.what} ${id} in this tenant.`, [{ path: field.path, reason: `unknown ${field.what}` }]);
    }
    throw e;
  }
}

/** null removes a field, undefined leaves it. */
function applyFields(target: Json, fields: Json): Json {
  const out = { ...target };
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

const objectAt = (doc: Json, key: string): Json => {
  const v = doc[key];
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
};

/** The stored document (defaults left out, so a later default still applies) with the patch applied, checked whole. */
function mergeNotifications(stored: Json, patch: NotificationsPatch, box: SecretBox): Json {
  const out: Json = applyFields(stored, { language: patch.language });
  if (patch.shopify) out.shopify = applyFields(objectAt(stored, 'shopify'), patch.shopify);
  if (patch.email) out.email = applyFields(objectAt(stored, 'email'), patch.email);
  if (patch.whatsapp) {
    const { token, templates, ...rest } = patch.whatsapp;
    const storedWhatsapp = objectAt(stored, 'whatsapp');
    const w = applyFields(storedWhatsapp, { ...rest, token: token === undefined || token === null ? token : box.seal(token) });
    if (templates) w.templates = applyFields(objectAt(storedWhatsapp, 'templates'), templates);
    out.whatsapp = w;
  }
  const checked = channelNotificationsSchema.safeParse(out);
  if (!checked.success) {
    const details: ErrorDetail[] = checked.error.issues.map((i) => ({ path: ['notifications', ...i.path.map(String)].join('.'), reason: i.message }));
    throw new DomainError('VALIDATION', `Invalid ${details[0]!.path}: ${details[0]!.reason}.`, details);
  }
  const w = checked.data.whatsapp;
  if (w.enabled && (!w.phoneNumberId || !w.token)) {
    const missing = [!w.phoneNumberId && 'phoneNumberId', !w.token && 'token'].filter(Boolean).join(' and ');
    throw new DomainError('VALIDATION', `Invalid notifications.whatsapp.enabled: WhatsApp cannot be enabled without its ${missing}.`, [{ path: 'notifications.whatsapp.enabled', reason: `needs ${missing}` }]);
  }
  return out;
}

function present(channel: Channel, statusMapOut: Json, notificationsRaw: Json): ChannelSettings {
  const n = parseChannelNotifications(notificationsRaw).settings;
  const template = (event: 'shipped' | 'out_for_delivery' | 'delivered') => n.whatsapp.templates[event] ?? null;
  return {
    channelId: channel.id,
    kind: channel.kind,
    statusMapIn: channel.statusMapIn,
    statusMapInDefaults: channel.kind === 'manual' ? {} : DEFAULT_STATUS_MAP_IN[channel.kind],
    statusMapOut: statusMapOut as Record<string, string>,
    statusMapOutDefaults: channel.kind === 'woocommerce' ? (DEFAULT_STATUS_MAP_OUT.woocommerce as Record<string, string>) : {},
    priceListId: channel.priceListId,
    defaultWarehouseId: channel.defaultWarehouseId,
    createInvoice: channel.createInvoice,
    autoCreateDeliveryNote: channel.autoCreateDeliveryNote,
    autoConfirm: channel.autoConfirm,
    approvalRequired: channel.approvalRequired,
    approvalMinTotal: channel.approvalMinTotal,
    approvalFirstOrder: channel.approvalFirstOrder,
    returnWindowDays: channel.returnWindowDays,
    invoiceSeries: channel.invoiceSeries,
    syncIntervalMinutes: channel.syncIntervalMinutes,
    pushStock: channel.pushStock,
    invoicePrices: channel.invoicePrices,
    notifications: {
      language: n.language ?? 'ro',
      shopify: { notifyCustomer: n.shopify.notifyCustomer },
      email: { shipped: n.email.shipped, from: n.email.from ?? null, replyTo: n.email.replyTo ?? null },
      whatsapp: {
        enabled: n.whatsapp.enabled,
        phoneNumberId: n.whatsapp.phoneNumberId ?? null,
        tokenSet: !!n.whatsapp.token,
        language: n.whatsapp.language,
        apiVersion: n.whatsapp.apiVersion,
        baseUrl: n.whatsapp.baseUrl,
        templates: { shipped: template('shipped'), out_for_delivery: template('out_for_delivery'), delivered: template('delivered') },
      },
    },
  };
}

/**
 * Gives the tenant's store channels that have no warehouse to ship from this one (optionally only
 * the named channel). Used when a tenant has exactly one warehouse: a channel made by connecting a
 * store, or a workspace whose first warehouse is created after its store, would otherwise hold
 * every order for "no default warehouse". A warehouse chosen in the settings is never replaced.
 */
export async function defaultWarehouseWhereMissing(tx: Db, tenantId: string, warehouseId: string, channelId?: string): Promise<number> {
  const rows = await tx`update channels set default_warehouse_id = ${warehouseId}
    where tenant_id = ${tenantId} and default_warehouse_id is null ${channelId ? tx`and id = ${channelId}` : tx``}
    returning id`;
  return rows.length;
}
