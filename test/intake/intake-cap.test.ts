import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { signShopifyBody } from '../../core/src/channels/index.ts';
import { createApp } from '../../core/src/http/app.ts';
import { DEFAULT_INTAKE_MAX_IN_FLIGHT, intakeMaxInFlightFromEnv } from '../../core/src/http/intake-cap.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { shopifyOrderBody } from '../support/orders.ts';

let core: CoreHarness;
let t: TenantFixture;
beforeAll(async () => {
  core = await startCore();
  t = await core.createTenant();
});

const request = (app: ReturnType<typeof createApp>, raw: string, webhookId = randomUUID()) => {
  const bytes = Buffer.from(raw, 'utf8');
  return app.request('/webhooks/shopify', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-shopify-hmac-sha256': signShopifyBody(bytes, t.shopify.apiSecret),
      'x-shopify-topic': 'orders/create',
      'x-shopify-shop-domain': t.shopify.shopDomain,
      'x-shopify-webhook-id': webhookId,
    },
    body: bytes,
  });
};

describe('the intake in-flight cap', () => {
  it('answers 503 with Retry-After at once while the cap is taken, stores nothing for it, and takes the retry', async () => {
    const app = createApp(core.deps, { intakeMaxInFlight: 1 });
    await request(app, shopifyOrderBody({}).raw); // the shop cache is warm: the held intake waits on the lock below, not before
    // Hold the first intake inside its transaction: its delivery claim waits on this lock.
    const holder = await core.sql.reserve();
    await holder`begin`;
    await holder`lock table webhook_deliveries in share row exclusive mode`;
    const first = shopifyOrderBody({});
    const held = request(app, first.raw);
    await new Promise((r) => setTimeout(r, 150));
    const second = shopifyOrderBody({});
    const webhookId = randomUUID();
    const started = Date.now();
    const refused = await request(app, second.raw, webhookId);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect((await refused.json()).error).toMatchObject({ code: 'RATE_LIMITED', details: [{ path: 'request' }] });
    expect(Date.now() - started).toBeLessThan(500);
    expect((await core.sql`select 1 from orders where tenant_id = ${t.tenantId} and external_order_id = ${second.id}`).length).toBe(0);
    await holder`commit`;
    holder.release();
    expect((await held).status).toBe(200);
    const retried = await request(app, second.raw, webhookId);
    expect(retried.status).toBe(200);
    expect((await retried.json()).outcome).toBe('ok');
    expect((await core.sql`select 1 from orders where tenant_id = ${t.tenantId} and external_order_id = ${second.id}`).length).toBe(1);
  });

  it('reads EXPEDIO_INTAKE_MAX_IN_FLIGHT as a whole number (0: no cap) and refuses anything else naming it', () => {
    expect(intakeMaxInFlightFromEnv({})).toBe(DEFAULT_INTAKE_MAX_IN_FLIGHT);
    expect(intakeMaxInFlightFromEnv({ EXPEDIO_INTAKE_MAX_IN_FLIGHT: '0' })).toBe(0);
    expect(intakeMaxInFlightFromEnv({ EXPEDIO_INTAKE_MAX_IN_FLIGHT: '64' })).toBe(64);
    expect(() => intakeMaxInFlightFromEnv({ EXPEDIO_INTAKE_MAX_IN_FLIGHT: 'lots' })).toThrow(/EXPEDIO_INTAKE_MAX_IN_FLIGHT/);
  });
});
