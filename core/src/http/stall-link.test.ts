import { describe, expect, it } from 'vitest';
import type { StallTarget } from '../stalls/index.ts';
import { stallLink } from './stall-link.ts';

describe('stallLink', () => {
  it.each<[StallTarget | null, string | null]>([
    [{ resource: 'channel', id: '3' }, '/api/v1/channels/3'],
    [{ resource: 'channel_sync_log', id: '3' }, '/api/v1/sync-log?channelId=3'],
    [{ resource: 'order', id: '12' }, '/api/v1/orders/12'],
    [{ resource: 'delivery_note', id: '4' }, '/api/v1/delivery-notes/4'],
    [{ resource: 'packing_list', id: '5' }, '/api/v1/packing-lists/5'],
    [{ resource: 'invoice', id: '6' }, '/api/v1/invoices/6'],
    [{ resource: 'shipment', id: '7' }, '/api/v1/shipments/7'],
    [null, null],
  ])('%o → %s', (target, link) => {
    expect(stallLink(target)).toBe(link);
  });
});
