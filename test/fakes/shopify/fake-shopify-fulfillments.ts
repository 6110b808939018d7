/**
 * The fulfillment side of the fake Shopify (contract §3.2–3.5): fulfillment orders per order,
 * `fulfillmentCreate` with Shopify's input rules and userErrors, `fulfillmentTrackingInfoUpdate`
 * (the tracking replaced, same input rules), `fulfillmentCancel` (the fulfillment CANCELLED and its
 * units open again: a closed fulfillment order is left closed and a new open one at the same location
 * carries them, as Shopify documents), `fulfillmentOrderHold` / `fulfillmentOrderReleaseHold`,
 * `fulfillmentEventCreate`, and the order's fulfillments with
 * their line items and events. Kept apart from fake-shopify.ts so
 * the order-sync double stays readable; the GraphQL route dispatches here by root field.
 */

type Node = Record<string, unknown>;

export type FakeFulfillmentOrderStatus = 'OPEN' | 'IN_PROGRESS' | 'CLOSED' | 'CANCELLED' | 'INCOMPLETE' | 'ON_HOLD' | 'SCHEDULED';

export interface FakeFulfillmentOrderLine {
  /** gid://shopify/FulfillmentOrderLineItem/… */
  id: string;
  /** gid://shopify/LineItem/… of the order line it fulfils. */
  lineItemId: string;
  sku: string | null;
  name: string;
  totalQuantity: number;
  remainingQuantity: number;
}

export interface FakeFulfillmentOrder {
  id: string;
  orderId: string;
  status: FakeFulfillmentOrderStatus;
  locationId: string;
  locationName: string;
  lineItems: FakeFulfillmentOrderLine[];
  /** The holds on it (several apps and the merchant may each hold one); ON_HOLD while any is left. */
  holds: FakeFulfillmentHold[];
}

export interface FakeFulfillmentHold {
  id: string;
  /** Unique per app and fulfillment order ("" by default). */
  handle: string;
  reason: string;
  reasonNotes: string | null;
  /** True for holds this app placed through the API; a merchant's hold (seeded ON_HOLD) is false. */
  heldByRequestingApp: boolean;
}

export interface FakeFulfillmentEvent {
  id: string;
  status: string;
  happenedAt: string;
  message: string | null;
}

export interface FakeFulfillment {
  id: string;
  orderId: string;
  status: 'SUCCESS' | 'CANCELLED';
  createdAt: string;
  notifyCustomer: boolean;
  trackingInfo: { company: string | null; number: string | null; url: string | null }[];
  fulfillmentOrderIds: string[];
  lineItems: { id: string; lineItemId: string; quantity: number; fulfillmentOrderLineItemId: string }[];
  events: FakeFulfillmentEvent[];
  /** Every tracking the fulfillment carried before the current one (fulfillmentTrackingInfoUpdate). */
  trackingHistory: { company: string | null; number: string | null; url: string | null }[][];
  trackingUpdateNotified: boolean[];
}

export interface FulfillmentOrderSpec {
  status?: FakeFulfillmentOrderStatus;
  locationName?: string;
  lines: { lineItemId: string; quantity: number; sku?: string; name?: string }[];
}

const EVENT_STATUSES = new Set([
  'ATTEMPTED_DELIVERY',
  'CARRIER_PICKED_UP',
  'CONFIRMED',
  'DELAYED',
  'DELIVERED',
  'FAILURE',
  'IN_TRANSIT',
  'LABEL_PRINTED',
  'LABEL_PURCHASED',
  'OUT_FOR_DELIVERY',
  'READY_FOR_PICKUP',
]);
/**
 * The value bound to `field(arg: $name)`: variables may be named anything, as on Shopify; an inline
 * literal is not parsed (our client always sends variables).
 */
function argValue(query: string, field: string, arg: string, variables: Node): unknown {
  const m = new RegExp(`\\b${field}\\s*\\([^)]*?\\b${arg}\\s*:\\s*\\$(\\w+)`).exec(query);
  return m ? variables[m[1]!] : undefined;
}

const FULFILLABLE = new Set<FakeFulfillmentOrderStatus>(['OPEN', 'IN_PROGRESS']);

/** FulfillmentTrackingInput's rules (contract §3.3): not both url and urls, nor number and numbers; a url needs a number. */
function trackingInputError(t: Node): { field: string[]; message: string } | null {
  if (t['url'] !== undefined && t['urls'] !== undefined) return { field: [], message: 'Cannot specify both url and urls.' };
  if (t['number'] !== undefined && t['numbers'] !== undefined) return { field: [], message: 'Cannot specify both number and numbers.' };
  if (t['url'] && !t['number']) return { field: ['url'], message: 'Tracking number is required when a tracking url is given.' };
  return null;
}

export interface FulfillmentStore {
  fulfillmentOrders: Map<string, FakeFulfillmentOrder[]>;
  fulfillments: Map<string, FakeFulfillment[]>;
  /** Orders cancelled through orderCancel (fake-shopify-order-cancel.ts), by order GID: shown as the order's cancelledAt. */
  cancelledAt: Map<string, string>;
  /** Gives an order its fulfillment orders (one per spec, i.e. per location). */
  setFulfillmentOrders(orderId: string, specs: FulfillmentOrderSpec[]): FakeFulfillmentOrder[];
  /**
   * The request this module answers (its requested cost, and the work to run once the bucket
   * allows it: a throttled mutation changes nothing), or null when the query is someone else's.
   */
  route(query: string, variables: Node): { cost: number; run: () => unknown } | null;
}

export function createFulfillmentStore(now: () => number): FulfillmentStore {
  const fulfillmentOrders = new Map<string, FakeFulfillmentOrder[]>();
  const fulfillments = new Map<string, FakeFulfillment[]>();
  const cancelledAt = new Map<string, string>();
  let seq = 5_000_000;
  const gid = (type: string) => `gid://shopify/${type}/${seq++}`;

  const allFos = () => [...fulfillmentOrders.values()].flat();
  const allFulfillments = () => [...fulfillments.values()].flat();

  function orderFulfillmentData(orderId: string): Node | null {
    const fos = fulfillmentOrders.get(orderId);
    const done = fulfillments.get(orderId) ?? [];
    if (!fos && done.length === 0) return null;
    return {
      id: orderId,
      cancelledAt: cancelledAt.get(orderId) ?? null,
      fulfillmentOrders: {
        nodes: (fos ?? []).map((fo) => ({
          id: fo.id,
          status: fo.status,
          fulfillmentHolds: fo.holds.map((h) => ({ id: h.id, handle: h.handle, reason: h.reason, reasonNotes: h.reasonNotes, heldByRequestingApp: h.heldByRequestingApp })),
          requestStatus: 'UNSUBMITTED',
          supportedActions: FULFILLABLE.has(fo.status) ? [{ action: 'CREATE_FULFILLMENT' }] : [],
          assignedLocation: { name: fo.locationName, location: { id: fo.locationId } },
          lineItems: {
            nodes: fo.lineItems.map((l) => ({
              id: l.id,
              totalQuantity: l.totalQuantity,
              remainingQuantity: l.remainingQuantity,
              lineItem: { id: l.lineItemId, sku: l.sku, name: l.name },
            })),
          },
        })),
      },
      fulfillments: done.map(fulfillmentOut),
    };
  }

  function fulfillmentOut(f: FakeFulfillment): Node {
    return {
      id: f.id,
      status: f.status,
      createdAt: f.createdAt,
      trackingInfo: structuredClone(f.trackingInfo),
      fulfillmentLineItems: { nodes: f.lineItems.map((l) => ({ id: l.id, quantity: l.quantity, lineItem: { id: l.lineItemId } })) },
      events: { nodes: structuredClone(f.events) },
    };
  }

  function fulfillmentCreate(input: unknown): Node {
    const errors: { field: string[]; message: string }[] = [];
    const fail = (field: string[], message: string) => ({ fulfillment: null, userErrors: [...errors, { field, message }] });
    if (!input || typeof input !== 'object') return fail(['fulfillment'], 'Fulfillment input is required.');
    const f = input as Node;
    const groups = f['lineItemsByFulfillmentOrder'];
    if (!Array.isArray(groups) || groups.length === 0) {
      return fail(['fulfillment', 'lineItemsByFulfillmentOrder'], 'Line items by fulfillment order must not be empty.');
    }
    const tracking = (f['trackingInfo'] ?? null) as Node | null;
    if (tracking) {
      const bad = trackingInputError(tracking);
      if (bad) return fail(['fulfillment', 'trackingInfo', ...bad.field], bad.message);
    }
    const plan: { fo: FakeFulfillmentOrder; take: { line: FakeFulfillmentOrderLine; quantity: number }[] }[] = [];
    for (const [gi, g] of (groups as Node[]).entries()) {
      const field = ['fulfillment', 'lineItemsByFulfillmentOrder', String(gi)];
      const fo = allFos().find((x) => x.id === g['fulfillmentOrderId']);
      if (!fo) return fail([...field, 'fulfillmentOrderId'], 'Fulfillment order does not exist.');
      if (!FULFILLABLE.has(fo.status)) return fail([...field, 'fulfillmentOrderId'], `Fulfillment order ${fo.id} is ${fo.status.toLowerCase()} and cannot be fulfilled.`);
      if (plan.length > 0 && (plan[0]!.fo.orderId !== fo.orderId || plan[0]!.fo.locationId !== fo.locationId)) {
        return fail([...field, 'fulfillmentOrderId'], 'All fulfillment orders must belong to the same order and location.');
      }
      const lines = g['fulfillmentOrderLineItems'];
      const take: { line: FakeFulfillmentOrderLine; quantity: number }[] = [];
      if (lines === undefined || (Array.isArray(lines) && lines.length === 0)) {
        for (const line of fo.lineItems) if (line.remainingQuantity > 0) take.push({ line, quantity: line.remainingQuantity });
      } else if (Array.isArray(lines)) {
        for (const [li, l] of (lines as Node[]).entries()) {
          const lf = [...field, 'fulfillmentOrderLineItems', String(li)];
          const line = fo.lineItems.find((x) => x.id === l['id']);
          if (!line) return fail([...lf, 'id'], 'Fulfillment order line item does not exist on this fulfillment order.');
          const q = l['quantity'];
          if (typeof q !== 'number' || !Number.isInteger(q) || q <= 0 || q > line.remainingQuantity) {
            return fail([...lf, 'quantity'], 'Invalid fulfillment order line item quantity requested.');
          }
          take.push({ line, quantity: q });
        }
      } else {
        return fail([...field, 'fulfillmentOrderLineItems'], 'Fulfillment order line items must be a list.');
      }
      if (take.length === 0) return fail([...field], 'Fulfillment order has nothing left to fulfill.');
      plan.push({ fo, take });
    }
    const orderId = plan[0]!.fo.orderId;
    const created: FakeFulfillment = {
      id: gid('Fulfillment'),
      orderId,
      status: 'SUCCESS',
      createdAt: new Date(now()).toISOString(),
      notifyCustomer: f['notifyCustomer'] === true,
      trackingInfo: tracking
        ? [{ company: (tracking['company'] as string) ?? null, number: (tracking['number'] as string) ?? null, url: (tracking['url'] as string) ?? null }]
        : [],
      fulfillmentOrderIds: plan.map((p) => p.fo.id),
      lineItems: [],
      events: [],
      trackingHistory: [],
      trackingUpdateNotified: [],
    };
    for (const p of plan) {
      for (const t of p.take) {
        t.line.remainingQuantity -= t.quantity;
        created.lineItems.push({ id: gid('FulfillmentLineItem'), lineItemId: t.line.lineItemId, quantity: t.quantity, fulfillmentOrderLineItemId: t.line.id });
      }
      p.fo.status = p.fo.lineItems.every((l) => l.remainingQuantity === 0) ? 'CLOSED' : 'IN_PROGRESS';
    }
    const list = fulfillments.get(orderId) ?? [];
    list.push(created);
    fulfillments.set(orderId, list);
    return { fulfillment: { id: created.id, status: created.status, trackingInfo: structuredClone(created.trackingInfo) }, userErrors: [] };
  }

  /** `fulfillmentTrackingInfoUpdate(fulfillmentId, trackingInfoInput, notifyCustomer)` (contract §3.4). */
  function fulfillmentTrackingInfoUpdate(fulfillmentId: unknown, input: unknown, notifyCustomer: unknown): Node {
    const fail = (field: string[], message: string) => ({ fulfillment: null, userErrors: [{ field, message }] });
    const f = allFulfillments().find((x) => x.id === fulfillmentId);
    if (!f) return fail(['fulfillmentId'], 'Fulfillment does not exist.');
    if (f.status === 'CANCELLED') return fail(['fulfillmentId'], 'Cannot update tracking info of a cancelled fulfillment.');
    if (!input || typeof input !== 'object') return fail(['trackingInfoInput'], 'Tracking info input is required.');
    const t = input as Node;
    const bad = trackingInputError(t);
    if (bad) return fail(['trackingInfoInput', ...bad.field], bad.message);
    f.trackingHistory.push(f.trackingInfo);
    f.trackingUpdateNotified.push(notifyCustomer === true);
    f.trackingInfo = [{ company: (t['company'] as string) ?? null, number: (t['number'] as string) ?? null, url: (t['url'] as string) ?? null }];
    return { fulfillment: { id: f.id, status: f.status, trackingInfo: structuredClone(f.trackingInfo) }, userErrors: [] };
  }

  /** `fulfillmentCancel(id)`: the units go back to fulfillment orders so they can be fulfilled again. */
  function fulfillmentCancel(id: unknown): Node {
    const fail = (field: string[], message: string) => ({ fulfillment: null, userErrors: [{ field, message }] });
    const f = allFulfillments().find((x) => x.id === id);
    if (!f) return fail(['id'], 'Fulfillment does not exist.');
    if (f.status === 'CANCELLED') return fail(['id'], 'Fulfillment is already cancelled.');
    f.status = 'CANCELLED';
    const reopened = new Map<string, FakeFulfillmentOrder>();
    for (const l of f.lineItems) {
      const fo = allFos().find((x) => x.lineItems.some((li) => li.id === l.fulfillmentOrderLineItemId));
      const line = fo?.lineItems.find((li) => li.id === l.fulfillmentOrderLineItemId);
      if (!fo || !line) continue;
      if (fo.status !== 'CLOSED') {
        line.remainingQuantity += l.quantity;
        fo.status = fo.lineItems.every((x) => x.remainingQuantity === x.totalQuantity) ? 'OPEN' : 'IN_PROGRESS';
        continue;
      }
      let fresh = reopened.get(fo.id);
      if (!fresh) {
        fresh = { id: gid('FulfillmentOrder'), orderId: fo.orderId, status: 'OPEN', locationId: fo.locationId, locationName: fo.locationName, lineItems: [], holds: [] };
        reopened.set(fo.id, fresh);
        fulfillmentOrders.set(fo.orderId, [...(fulfillmentOrders.get(fo.orderId) ?? []), fresh]);
      }
      fresh.lineItems.push({ id: gid('FulfillmentOrderLineItem'), lineItemId: line.lineItemId, sku: line.sku, name: line.name, totalQuantity: l.quantity, remainingQuantity: l.quantity });
    }
    return { fulfillment: { id: f.id, status: f.status }, userErrors: [] };
  }

  const HOLD_REASONS = new Set(['AWAITING_PAYMENT', 'HIGH_RISK_OF_FRAUD', 'INCORRECT_ADDRESS', 'INVENTORY_OUT_OF_STOCK', 'UNKNOWN_DELIVERY_DATE', 'AWAITING_RETURN_ITEMS', 'OTHER']);

  /**
   * `fulfillmentOrderHold(id, fulfillmentHold)`: an open (or already held) fulfillment order gets one
   * more hold and is ON_HOLD; a second hold of this app with the same handle is refused, as on Shopify.
   */
  function fulfillmentOrderHold(id: unknown, input: unknown): Node {
    const fail = (field: string[], message: string, code?: string) => ({ fulfillmentHold: null, fulfillmentOrder: null, userErrors: [{ field, message, ...(code ? { code } : {}) }] });
    const fo = allFos().find((x) => x.id === id);
    if (!fo) return fail(['id'], 'Fulfillment order does not exist.', 'FULFILLMENT_ORDER_NOT_FOUND');
    const hold = (input ?? {}) as Node;
    if (typeof hold['reason'] !== 'string' || !HOLD_REASONS.has(hold['reason'])) return fail(['fulfillmentHold', 'reason'], 'Reason is invalid.');
    const handle = typeof hold['handle'] === 'string' ? hold['handle'] : '';
    if (handle.length > 64) return fail(['fulfillmentHold', 'handle'], 'Handle is too long (maximum is 64 characters).');
    if (!FULFILLABLE.has(fo.status) && fo.status !== 'ON_HOLD') return fail(['id'], `The fulfillment order's status must be open, in progress or on hold; it is ${fo.status.toLowerCase()}.`);
    if (fo.holds.some((h) => h.heldByRequestingApp && h.handle === handle)) return fail(['fulfillmentHold', 'handle'], 'The app has already placed a hold with this handle on the fulfillment order.', 'DUPLICATE_FULFILLMENT_HOLD_HANDLE');
    const placed: FakeFulfillmentHold = { id: gid('FulfillmentHold'), handle, reason: hold['reason'], reasonNotes: typeof hold['reasonNotes'] === 'string' ? hold['reasonNotes'] : null, heldByRequestingApp: true };
    fo.holds.push(placed);
    fo.status = 'ON_HOLD';
    return { fulfillmentHold: { id: placed.id, handle: placed.handle, reason: placed.reason }, fulfillmentOrder: { id: fo.id, status: fo.status }, userErrors: [] };
  }

  /**
   * `fulfillmentOrderReleaseHold(id, holdIds)`: the named holds (all of them when none are named) go;
   * with none left the fulfillment order is open again (in progress when partly fulfilled).
   */
  function fulfillmentOrderReleaseHold(id: unknown, holdIds: unknown): Node {
    const fail = (field: string[], message: string) => ({ fulfillmentOrder: null, userErrors: [{ field, message }] });
    const fo = allFos().find((x) => x.id === id);
    if (!fo) return fail(['id'], 'Fulfillment order does not exist.');
    if (fo.status !== 'ON_HOLD') return fail(['id'], 'The fulfillment order is not on hold.');
    if (holdIds !== undefined && holdIds !== null) {
      if (!Array.isArray(holdIds)) return fail(['holdIds'], 'Hold ids must be a list.');
      const unknown = holdIds.filter((h) => !fo.holds.some((x) => x.id === h));
      if (unknown.length > 0) return fail(['holdIds'], `Fulfillment holds ${unknown.join(', ')} do not belong to this fulfillment order.`);
      fo.holds = fo.holds.filter((h) => !holdIds.includes(h.id));
    } else {
      fo.holds = [];
    }
    if (fo.holds.length === 0) fo.status = fo.lineItems.every((x) => x.remainingQuantity === x.totalQuantity) ? 'OPEN' : 'IN_PROGRESS';
    return { fulfillmentOrder: { id: fo.id, status: fo.status }, userErrors: [] };
  }

  function fulfillmentEventCreate(input: unknown): Node {
    const fail = (field: string[], message: string) => ({ fulfillmentEvent: null, userErrors: [{ field, message }] });
    const e = (input ?? {}) as Node;
    const f = allFulfillments().find((x) => x.id === e['fulfillmentId']);
    if (!f) return fail(['fulfillmentEvent', 'fulfillmentId'], 'Fulfillment does not exist.');
    if (f.status === 'CANCELLED') return fail(['fulfillmentEvent', 'fulfillmentId'], 'Cannot create an event for a cancelled fulfillment.');
    if (typeof e['status'] !== 'string' || !EVENT_STATUSES.has(e['status'])) {
      return fail(['fulfillmentEvent', 'status'], `Expected "${String(e['status'])}" to be one of: ${[...EVENT_STATUSES].join(', ')}`);
    }
    const happenedAt = typeof e['happenedAt'] === 'string' ? e['happenedAt'] : new Date(now()).toISOString();
    if (Number.isNaN(Date.parse(happenedAt))) return fail(['fulfillmentEvent', 'happenedAt'], 'Happened at is invalid.');
    const ev: FakeFulfillmentEvent = { id: gid('FulfillmentEvent'), status: e['status'], happenedAt, message: typeof e['message'] === 'string' ? e['message'] : null };
    f.events.push(ev);
    return { fulfillmentEvent: { ...ev }, userErrors: [] };
  }

  return {
    fulfillmentOrders,
    fulfillments,
    cancelledAt,
    setFulfillmentOrders(orderId, specs) {
      const fos = specs.map((s, i): FakeFulfillmentOrder => ({
        id: gid('FulfillmentOrder'),
        orderId,
        status: s.status ?? 'OPEN',
        locationId: `gid://shopify/Location/${100 + i}`,
        locationName: s.locationName ?? (i === 0 ? 'Main warehouse' : `Location ${i + 1}`),
        lineItems: s.lines.map((l) => ({
          id: gid('FulfillmentOrderLineItem'),
          lineItemId: l.lineItemId,
          sku: l.sku ?? null,
          name: l.name ?? 'Item',
          totalQuantity: l.quantity,
          remainingQuantity: l.quantity,
        })),
        // Seeded ON_HOLD: the merchant's own hold, which no app may release as its own.
        holds: s.status === 'ON_HOLD' ? [{ id: gid('FulfillmentHold'), handle: '', reason: 'OTHER', reasonNotes: 'held by the merchant', heldByRequestingApp: false }] : [],
      }));
      fulfillmentOrders.set(orderId, fos);
      return fos;
    },
    route(query, variables) {
      if (/\bfulfillmentCreate\s*\(/.test(query)) {
        return { cost: 10, run: () => ({ fulfillmentCreate: fulfillmentCreate(argValue(query, 'fulfillmentCreate', 'fulfillment', variables)) }) };
      }
      if (/\bfulfillmentTrackingInfoUpdate\s*\(/.test(query)) {
        return {
          cost: 10,
          run: () => ({
            fulfillmentTrackingInfoUpdate: fulfillmentTrackingInfoUpdate(
              argValue(query, 'fulfillmentTrackingInfoUpdate', 'fulfillmentId', variables),
              argValue(query, 'fulfillmentTrackingInfoUpdate', 'trackingInfoInput', variables),
              argValue(query, 'fulfillmentTrackingInfoUpdate', 'notifyCustomer', variables),
            ),
          }),
        };
      }
      if (/\bfulfillmentCancel\s*\(/.test(query)) {
        return { cost: 10, run: () => ({ fulfillmentCancel: fulfillmentCancel(argValue(query, 'fulfillmentCancel', 'id', variables)) }) };
      }
      if (/\bfulfillmentOrderHold\s*\(/.test(query)) {
        return {
          cost: 10,
          run: () => ({
            fulfillmentOrderHold: fulfillmentOrderHold(argValue(query, 'fulfillmentOrderHold', 'id', variables), argValue(query, 'fulfillmentOrderHold', 'fulfillmentHold', variables)),
          }),
        };
      }
      if (/\bfulfillmentOrderReleaseHold\s*\(/.test(query)) {
        return {
          cost: 10,
          run: () => ({
            fulfillmentOrderReleaseHold: fulfillmentOrderReleaseHold(argValue(query, 'fulfillmentOrderReleaseHold', 'id', variables), argValue(query, 'fulfillmentOrderReleaseHold', 'holdIds', variables)),
          }),
        };
      }
      if (/\bfulfillmentEventCreate\s*\(/.test(query)) {
        return { cost: 10, run: () => ({ fulfillmentEventCreate: fulfillmentEventCreate(argValue(query, 'fulfillmentEventCreate', 'fulfillmentEvent', variables)) }) };
      }
      if (/\bfulfillment\s*\(\s*id\s*:/.test(query)) {
        return {
          cost: 20,
          run: () => {
            const f = allFulfillments().find((x) => x.id === argValue(query, 'fulfillment', 'id', variables));
            return { fulfillment: f ? fulfillmentOut(f) : null };
          },
        };
      }
      if (/\border\s*\(/.test(query) && /\b(fulfillmentOrders|fulfillments)\b/.test(query)) {
        return { cost: 60, run: () => ({ order: orderFulfillmentData(String(argValue(query, 'order', 'id', variables))) }) };
      }
      return null;
    },
  };
}
