import type { Context } from 'hono';
import type { Principal } from '../auth/index.ts';
import { outboxItemSubjects } from '../db/index.ts';
import { invoiceOrderId } from '../invoicing/index.ts';
import { findOrderChannelIds } from '../orders/index.ts';
import type { Deps } from '../shared/deps.ts';
import { DomainError } from '../shared/domain-error.ts';
import { returnChannelId } from '../returns/index.ts';
import { isId } from '../shared/ids.ts';
import { courierAccountChannelId, shipmentOrderId } from '../shipping/index.ts';
import { documentOrderIds } from '../warehouse/index.ts';

/*
 * A channel-bound credential (the embedded Shopify app's session token, the WooCommerce plugin's
 * key) reaches only its own channel's documents. Checked once for every /api/v1 route whose path
 * names a document by id, before the handler, so a route added tomorrow is covered without
 * remembering to call a check; an unknown id is left to the handler's own 404.
 */

const DOCUMENT = /^\/api\/v1\/(channels|orders|delivery-notes|pick-lists|packing-lists|shipments|invoices|courier-accounts|returns)\/(\d{1,18})(?:\/|$)/;

/** The channels a document belongs to; undefined when the tenant has no such document; null channel: tenant-wide. */
async function channelsOf(deps: Deps, tenantId: string, resource: string, id: string): Promise<Array<string | null> | undefined> {
  const viaOrders = async (orderIds: string[] | null) => (orderIds === null ? undefined : await findOrderChannelIds(deps.sql, tenantId, orderIds));
  switch (resource) {
    case 'channels':
      return [id];
    case 'orders':
      return viaOrders([id]).then((c) => (c?.length ? c : undefined));
    case 'delivery-notes':
      return viaOrders(await documentOrderIds(deps.sql, tenantId, 'delivery_note', id));
    case 'pick-lists':
      return viaOrders(await documentOrderIds(deps.sql, tenantId, 'pick_list', id));
    case 'packing-lists':
      return viaOrders(await documentOrderIds(deps.sql, tenantId, 'packing_list', id));
    case 'shipments': {
      const order = await shipmentOrderId(deps.sql, tenantId, id);
      return order ? viaOrders([order]) : undefined;
    }
    case 'invoices': {
      const order = await invoiceOrderId(deps.sql, tenantId, id);
      return order ? viaOrders([order]) : undefined;
    }
    case 'courier-accounts': {
      const channel = await courierAccountChannelId(deps.sql, tenantId, id);
      return channel === undefined ? undefined : [channel];
    }
    case 'returns': {
      const channel = await returnChannelId(deps.sql, tenantId, id);
      return channel === null ? undefined : [channel];
    }
    default:
      return undefined;
  }
}

/** Refuses (403, naming the id) a channel-bound principal on another channel's document. */
export async function assertOwnChannelDocument(deps: Deps, c: Context, principal: Principal): Promise<void> {
  const own = principal.channelId;
  if (!own) return;
  const m = DOCUMENT.exec(c.req.path);
  if (!m || !isId(m[2]!)) return;
  const [, resource, id] = m as unknown as [string, string, string];
  const channels = await channelsOf(deps, principal.tenantId, resource, id);
  if (channels === undefined) return;
  // A tenant-wide courier account (no channel) may be read by every channel's app, changed by none of them.
  const readOnly = c.req.method === 'GET';
  const allowed = channels.every((ch) => ch === own || (ch === null && readOnly));
  if (!allowed) {
    throw new DomainError('FORBIDDEN', `This credential is bound to channel ${own}; ${resource.replace(/s$/, '').replace('-', ' ')} ${id} is not that channel's.`, [
      { path: 'id', reason: 'another channel' },
    ]);
  }
}

/** Ids in a body (a wave's orders, a label batch's shipments): a channel-bound credential names only its own channel's. */
export async function assertOwnChannelIds(deps: Deps, principal: Principal, kind: 'orders' | 'shipments', ids: string[], path: string): Promise<void> {
  const own = principal.channelId;
  if (!own) return;
  const orderIds = kind === 'orders' ? ids : (await Promise.all(ids.map((id) => shipmentOrderId(deps.sql, principal.tenantId, id)))).filter((o): o is string => !!o);
  const channels = await findOrderChannelIds(deps.sql, principal.tenantId, orderIds);
  if (channels.some((ch) => ch !== own)) {
    throw new DomainError('FORBIDDEN', `This credential is bound to channel ${own}; ${path} names ${kind} of another channel.`, [{ path, reason: 'another channel' }]);
  }
}

/** A stall's subject as the document it names (null: tenant-wide, every channel's app sees it). */
const STALL_SUBJECT_RESOURCE: Record<string, string | null> = {
  order: 'orders',
  shipment: 'shipments',
  delivery_note: 'delivery-notes',
  packing_list: 'packing-lists',
  pick_list: 'pick-lists',
  invoice: 'invoices',
  channel: 'channels',
  return: 'returns',
  courier_account: 'courier-accounts',
  tenant: null,
  anaf_connection: null,
};

/**
 * The stalls a channel-bound credential may see: those of its own channel's documents, and the
 * tenant-wide ones (the ANAF connection, the tenant's settings). An outbox item's stall goes with
 * the order or channel its payload names (tenant-wide when it names neither); a subject of another
 * kind, or one that cannot be placed, is left out. Everyone else sees them all.
 */
export async function stallsOfPrincipal<T extends { subjectType: string; subjectId: string }>(deps: Deps, principal: Principal, stalls: T[]): Promise<T[]> {
  const own = principal.channelId;
  if (!own) return stalls;
  const tenantId = principal.tenantId;
  const outbox = await outboxItemSubjects(deps.sql, tenantId, stalls.filter((s) => s.subjectType === 'outbox').map((s) => s.subjectId));
  const known = new Map<string, Array<string | null> | undefined>();
  const channelsOfSubject = async (resource: string, id: string) => {
    const key = `${resource}:${id}`;
    if (!known.has(key)) known.set(key, isId(id) ? await channelsOf(deps, tenantId, resource, id) : undefined);
    return known.get(key);
  };
  const mine = async (s: T): Promise<boolean> => {
    let resource: string | null | undefined = STALL_SUBJECT_RESOURCE[s.subjectType];
    let id = s.subjectId;
    if (s.subjectType === 'outbox') {
      const about = outbox.get(s.subjectId);
      if (!about) return false;
      if (about.orderId) [resource, id] = ['orders', about.orderId];
      else if (about.channelId) [resource, id] = ['channels', about.channelId];
      else resource = null;
    }
    if (resource === null) return true;
    if (resource === undefined) return false;
    const channels = await channelsOfSubject(resource, id);
    return !!channels && channels.every((ch) => ch === own || ch === null);
  };
  const keep: T[] = [];
  for (const s of stalls) if (await mine(s)) keep.push(s);
  return keep;
}
