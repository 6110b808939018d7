import { describe, expect, it } from 'vitest';
import { COURIER_CODES, type CourierCode } from './courier-adapter.ts';
import { COURIER_STATUS_FEEDS, type CourierAccount, createCourierAdapter } from './courier-accounts.ts';

const account = (courier: CourierCode): CourierAccount => ({
  id: '1',
  tenantId: '1',
  courier,
  name: courier,
  channelId: null,
  warehouseId: null,
  credentials: { apiKey: 'k', subscriptionKey: 'k', username: 'u', password: 'p' },
  baseUrl: 'http://127.0.0.1:9',
  defaultService: null,
  settings: { clientLocationId: '1', senderLocationId: '1', clientId: '1', pickupPointId: '1', webhookSecret: 's' },
  active: true,
});

describe('the courier port: status feeds and webhooks are optional parts of one adapter', () => {
  it.each(COURIER_CODES.map((c) => [c]))('%s declares its feed in COURIER_STATUS_FEEDS exactly when its adapter has one', (courier) => {
    const adapter = createCourierAdapter(account(courier));
    const listed = COURIER_STATUS_FEEDS.find((f) => f.courier === courier);
    expect(adapter.statusFeed?.name ?? null).toBe(listed?.feed ?? null);
  });

  it('a courier says it pushes webhooks exactly when its adapter has the webhook part', () => {
    for (const courier of COURIER_CODES) {
      const adapter = createCourierAdapter(account(courier));
      expect([courier, !!adapter.webhook]).toEqual([courier, adapter.capabilities.webhook]);
    }
  });

  it('the parts are what tracking uses: Sameday reads its status-sync in windows of at most 2 h, Bosta pushes with a secret header', () => {
    expect(createCourierAdapter(account('sameday')).statusFeed).toMatchObject({ name: 'sameday.status_sync', maxWindowSeconds: 7200 });
    expect(createCourierAdapter(account('bosta')).webhook?.header).toBe('X-Expedio-Webhook-Secret');
  });
});
