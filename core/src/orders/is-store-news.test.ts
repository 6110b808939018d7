import { describe, expect, it } from 'vitest';
import { isStoreNews } from './move-order.ts';

// Which status moves the order's store must hear of: a hold, its release, a cancellation; nothing else.
describe('isStoreNews', () => {
  it('is news into and out of on_hold and into cancelled, and not for the warehouse steps or shipping', () => {
    expect(isStoreNews('confirmed', 'on_hold')).toBe(true);
    expect(isStoreNews('on_hold', 'confirmed')).toBe(true);
    expect(isStoreNews('on_hold', 'cancelled')).toBe(true);
    expect(isStoreNews('ready', 'cancelled')).toBe(true);
    expect(isStoreNews('on_hold', 'on_hold')).toBe(false);
    expect(isStoreNews('confirmed', 'picking')).toBe(false);
    expect(isStoreNews('ready', 'shipping')).toBe(false);
    expect(isStoreNews('shipping', 'ready')).toBe(false);
    expect(isStoreNews('new', 'processing')).toBe(false);
    expect(isStoreNews('on_hold', 'new')).toBe(true);
    expect(isStoreNews('draft', 'cancelled')).toBe(true);
  });
});
