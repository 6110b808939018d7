import type { StoreReturnRequest, StoreReturnStatus } from '../../contracts/store-return.ts';
import { DomainError } from '../../shared/domain-error.ts';

/** The return topics the core takes in (Shopify's Return API webhooks; the shop must grant read_returns). */
export const SHOPIFY_RETURN_TOPICS = ['returns/request', 'returns/approve', 'returns/decline', 'returns/cancel', 'returns/close', 'returns/reopen'] as const;

const STATUS: Record<string, StoreReturnStatus> = { requested: 'requested', open: 'open', declined: 'declined', closed: 'closed', canceled: 'cancelled', cancelled: 'cancelled' };
const TOPIC_STATUS: Record<string, StoreReturnStatus> = {
  'returns/request': 'requested',
  'returns/approve': 'open',
  'returns/decline': 'declined',
  'returns/cancel': 'cancelled',
  'returns/close': 'closed',
  'returns/reopen': 'open',
};

type Json = Record<string, unknown>;
const numericId = (v: unknown): string | null => {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  if (typeof v !== 'string' || v === '') return null;
  const m = /^(?:gid:\/\/shopify\/\w+\/)?(\d{1,20})$/.exec(v);
  return m ? m[1]! : null;
};

/**
 * A Return API webhook (REST-shaped, snake_case: `{ id, admin_graphql_api_id, status, order: { id,
 * admin_graphql_api_id }, return_line_items: [{ quantity, return_reason, return_reason_note,
 * customer_note, fulfillment_line_item: { line_item: { id } } }] }`) as a store return request.
 * The status comes from the payload, else from the topic. Status-only payloads (close, cancel,
 * reopen, decline) may carry no order and no lines: `externalOrderId` is then null and the row
 * received first keeps both. The payload's field names are from Shopify's webhook samples
 * (UNVERIFIED against every API version): anything missing is refused naming the field.
 */
export function mapShopifyReturnWebhook(topic: string, payload: unknown): Omit<StoreReturnRequest, 'externalOrderId'> & { externalOrderId: string | null } {
  const p = (payload ?? {}) as Json;
  const externalId = typeof p.admin_graphql_api_id === 'string' && p.admin_graphql_api_id ? p.admin_graphql_api_id : numericId(p.id) ? `gid://shopify/Return/${numericId(p.id)}` : null;
  if (!externalId) throw new DomainError('VALIDATION', 'The return webhook has no return id.', [{ path: 'id', reason: 'missing' }]);
  const order = (p.order ?? null) as Json | null;
  const externalOrderId = numericId(order?.id) ?? numericId(order?.admin_graphql_api_id) ?? numericId(p.order_id);
  const status = (typeof p.status === 'string' ? STATUS[p.status.toLowerCase()] : undefined) ?? TOPIC_STATUS[topic];
  if (!status) throw new DomainError('VALIDATION', `The return webhook's status ${String(p.status)} is not one Shopify documents.`, [{ path: 'status', reason: 'unknown status' }]);
  const items = Array.isArray(p.return_line_items) ? (p.return_line_items as Json[]) : [];
  const lines = items.map((l, i) => {
    const fli = (l.fulfillment_line_item ?? {}) as Json;
    const li = (fli.line_item ?? l.line_item ?? {}) as Json;
    const externalLineId = numericId(li.id) ?? numericId(li.admin_graphql_api_id) ?? numericId(l.line_item_id);
    if (!externalLineId) throw new DomainError('VALIDATION', `Return line ${i} names no order line item.`, [{ path: `return_line_items.${i}.fulfillment_line_item.line_item.id`, reason: 'missing' }]);
    const quantity = Number(l.quantity);
    if (!Number.isInteger(quantity) || quantity <= 0) throw new DomainError('VALIDATION', `Return line ${i} has no quantity.`, [{ path: `return_line_items.${i}.quantity`, reason: 'a positive whole number' }]);
    const reason = [l.return_reason, l.return_reason_note].filter((x): x is string => typeof x === 'string' && x.trim() !== '').join(': ') || null;
    return { externalLineId, quantity, reason, customerNote: typeof l.customer_note === 'string' && l.customer_note.trim() ? l.customer_note : null };
  });
  const decline = (p.decline ?? null) as Json | null;
  const note = [typeof p.name === 'string' ? p.name : null, typeof decline?.note === 'string' ? decline.note : null].filter(Boolean).join(' — ') || null;
  return { platform: 'shopify', externalId, externalOrderId, storeStatus: status, lines, refundedAmount: null, currency: null, note, happenedAt: null };
}
