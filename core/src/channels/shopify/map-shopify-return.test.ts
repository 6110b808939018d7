import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../shared/domain-error.ts';
import { mapWooRefunds } from '../woocommerce/map-woo-refunds.ts';
import { mapShopifyReturnWebhook } from './map-shopify-return.ts';
import { shopifyWebhookTopics } from './register-shopify-webhooks.ts';

const request = {
  id: 945000954,
  admin_graphql_api_id: 'gid://shopify/Return/945000954',
  status: 'requested',
  order: { id: '820982911946154508', admin_graphql_api_id: 'gid://shopify/Order/820982911946154508' },
  name: '#1001-R1',
  return_line_items: [{ id: 1, quantity: 2, return_reason: 'size_too_small', return_reason_note: 'strâmt', customer_note: 'schimb', fulfillment_line_item: { id: 2, line_item: { id: '866550311766439020' } } }],
};

describe('Shopify Return API webhooks as store return requests', () => {
  it('maps a request: the return GID, the order and line ids, the reason with its note', () => {
    expect(mapShopifyReturnWebhook('returns/request', request)).toEqual({
      platform: 'shopify',
      externalId: 'gid://shopify/Return/945000954',
      externalOrderId: '820982911946154508',
      storeStatus: 'requested',
      lines: [{ externalLineId: '866550311766439020', quantity: 2, reason: 'size_too_small: strâmt', customerNote: 'schimb' }],
      refundedAmount: null,
      currency: null,
      note: '#1001-R1',
      happenedAt: null,
    });
  });

  it.each([
    ['returns/approve', { status: 'open' }, 'open'],
    ['returns/decline', { status: 'declined' }, 'declined'],
    ['returns/cancel', { status: 'canceled' }, 'cancelled'],
    ['returns/close', {}, 'closed'],
    ['returns/reopen', {}, 'open'],
  ])('%s without lines or order is a status-only change (%j → %s)', (topic, over, status) => {
    const m = mapShopifyReturnWebhook(topic, { id: 5, ...over });
    expect(m).toMatchObject({ externalId: 'gid://shopify/Return/5', externalOrderId: null, storeStatus: status, lines: [] });
  });

  it.each([
    [{ status: 'requested' }, 'id'],
    // A status Shopify does not document falls back to the topic's; with neither, it is refused.
    [{ ...request, status: 'lost' }, null],
    [{ ...request, return_line_items: [{ quantity: 1 }] }, 'return_line_items.0.fulfillment_line_item.line_item.id'],
    [{ ...request, return_line_items: [{ quantity: 0, line_item: { id: '1' } }] }, 'return_line_items.0.quantity'],
  ])('refuses %j naming %s', (payload, path) => {
    const e = (() => {
      try {
        mapShopifyReturnWebhook(path === null ? 'returns/unknown' : 'returns/request', payload);
      } catch (x) {
        return x;
      }
    })();
    expect(isDomainError(e) && e.details.map((d) => d.path)).toEqual([path ?? 'status']);
  });

  it('subscribes the return topics only where the shop granted read_returns', () => {
    expect(shopifyWebhookTopics('read_orders,write_orders')).not.toContain('returns/request');
    expect(shopifyWebhookTopics('read_orders, read_returns')).toEqual(expect.arrayContaining(['orders/create', 'returns/request', 'returns/approve', 'returns/decline', 'returns/cancel', 'returns/close', 'returns/reopen']));
    expect(shopifyWebhookTopics(null)).not.toContain('returns/request');
  });
});

describe('refunds made in wp-admin, from an order webhook', () => {
  it('keeps the store’s refunds (amount positive) and leaves Expedio’s own out', () => {
    const r = mapWooRefunds({ id: 723, currency: 'RON', refunds: [{ id: 726, reason: '', total: '-10.00' }, { id: 727, reason: 'Return 4 [expedio:abcdef0123456789]', total: '-5.00' }] });
    expect(r).toEqual([{ platform: 'woocommerce', externalId: '726', externalOrderId: '723', storeStatus: 'refunded', lines: [], refundedAmount: '10.00', currency: 'RON', note: null, happenedAt: null }]);
    expect(mapWooRefunds({ id: 1, refunds: [] })).toEqual([]);
    expect(mapWooRefunds({ refunds: [{ id: 1 }] })).toEqual([]);
  });
});
