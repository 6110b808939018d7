import { shopSessionToken } from '../support/shop-helpers.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { dueChannels } from '../../core/src/channels/index.ts';
import { sendShopifyWebhook } from '../fakes/shopify/send-shopify-webhook.ts';
import { sendWooWebhook } from '../fakes/woocommerce/send-woo-webhook.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { shopifyOrderBody, wooOrder } from '../support/orders.ts';

let core: CoreHarness;
let t: TenantFixture;
let other: TenantFixture;

beforeAll(async () => {
  core = await startCore();
  t = await core.createTenant();
  other = await core.createTenant();
});

const settingsUrl = (channelId: string) => `/api/v1/channels/${channelId}/settings`;
const getSettings = (channelId: string, key = t.apiKey) => core.api(settingsUrl(channelId), { key });
const patch = (channelId: string, body: unknown, init: { key?: string; headers?: Record<string, string> } = {}) =>
  core.api(settingsUrl(channelId), { method: 'PATCH', body: JSON.stringify(body), key: init.key ?? t.apiKey, ...(init.headers ? { headers: init.headers } : {}) });

const sessionToken = () => shopSessionToken(t);

async function placeShopifyOrder(qty: number, o: { email?: string } = {}) {
  const { raw, id } = shopifyOrderBody({ lines: [['A-1', qty]], ...o });
  const res = await sendShopifyWebhook({ url: `${core.url}/webhooks/shopify`, topic: 'orders/create', shopDomain: t.shopify.shopDomain, body: raw, secret: t.shopify.apiSecret });
  expect(res.status).toBe(200);
  const [row] = await core.sql<{ id: string; status: string; approval_status: string | null }[]>`
    select id::text, status, approval_status from orders where tenant_id = ${t.tenantId} and external_order_id = ${id}`;
  return row!;
}

let wooIds = 7000;
async function placeWooOrder(status: string) {
  const id = wooIds++;
  const res = await sendWooWebhook({
    url: `${core.url}/webhooks/woocommerce/${t.woo.channelId}`,
    topic: 'order.created',
    body: wooOrder({ id, status, lines: [['Bar3', 1]] }),
    secret: t.woo.webhookSecret,
    webhookId: 42,
  });
  expect(res.status).toBe(200);
  const [row] = await core.sql<{ id: string; status: string }[]>`
    select id::text, status from orders where tenant_id = ${t.tenantId} and channel_id = ${t.woo.channelId} and external_order_id = ${String(id)}`;
  return row!;
}

const channelRow = async (channelId: string) => {
  const [row] = await core.sql`select * from channels where id = ${channelId}`;
  return row!;
};

describe('channel settings through /api/v1', () => {
  it('reads every setting with its defaults, and the mappings the channel falls back on', async () => {
    const res = await getSettings(t.woo.channelId);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      channelId: t.woo.channelId,
      kind: 'woocommerce',
      statusMapIn: {},
      statusMapInDefaults: expect.objectContaining({ pending: 'draft', processing: 'new', cancelled: 'cancelled' }),
      statusMapOut: {},
      statusMapOutDefaults: { shipping: 'processing', delivered: 'completed' },
      priceListId: expect.any(String),
      defaultWarehouseId: t.warehouseId,
      createInvoice: 'on_shipping',
      autoCreateDeliveryNote: true,
      autoConfirm: true,
      approvalRequired: false,
      approvalMinTotal: null,
      approvalFirstOrder: false,
      returnWindowDays: 30,
      invoiceSeries: 'EXP',
      syncIntervalMinutes: 15,
      pushStock: false,
      invoicePrices: 'order',
      notifications: {
        language: 'ro',
        shopify: { notifyCustomer: true },
        email: { shipped: false, from: null, replyTo: null },
        whatsapp: {
          enabled: false,
          phoneNumberId: null,
          tokenSet: false,
          language: 'ro',
          apiVersion: 'v21.0',
          baseUrl: 'https://graph.facebook.com',
          templates: { shipped: null, out_for_delivery: null, delivered: null },
        },
      },
    });
  });

  it('round-trips each setting, writing only the keys given', async () => {
    const [pl] = await core.sql<{ id: string }[]>`insert into price_lists (tenant_id, name, currency) values (${t.tenantId}, 'B2B', 'RON') returning id::text`;
    const [wh] = await core.sql<{ id: string }[]>`insert into warehouses (tenant_id, code, name) values (${t.tenantId}, 'W2', 'Second') returning id::text`;
    const changes: Array<[string, unknown]> = [
      ['statusMapIn', { 'on-hold': 'draft', 'custom-paid': 'new' }],
      ['statusMapOut', { shipping: 'shipped', delivered: 'completed' }],
      ['priceListId', pl!.id],
      ['defaultWarehouseId', wh!.id],
      ['createInvoice', 'on_paid'],
      ['autoCreateDeliveryNote', false],
      ['autoConfirm', false],
      ['approvalRequired', true],
      ['approvalMinTotal', '250.50'],
      ['approvalFirstOrder', true],
      ['returnWindowDays', 14],
      ['invoiceSeries', 'WEB2026'],
      ['syncIntervalMinutes', 60],
      ['pushStock', true],
      ['invoicePrices', 'price_list'],
    ];
    for (const [key, value] of changes) {
      const before = (await getSettings(t.woo.channelId)).body;
      const res = await patch(t.woo.channelId, { [key]: value });
      expect(res.status, key).toBe(200);
      expect(res.body, key).toEqual({ ...before, [key]: value });
      expect((await getSettings(t.woo.channelId)).body, key).toEqual(res.body);
    }
    const row = await channelRow(t.woo.channelId);
    expect(row.status_map_out).toEqual({ shipping: 'shipped', delivered: 'completed' });
    expect(row.invoice_series).toBe('WEB2026');
    expect(row.approval_min_total).toBe('250.50');

    const cleared = await patch(t.woo.channelId, { priceListId: null, defaultWarehouseId: null, approvalMinTotal: null, statusMapIn: {} });
    expect(cleared.body).toMatchObject({ priceListId: null, defaultWarehouseId: null, approvalMinTotal: null, statusMapIn: {} });
    // Back to what the other tests expect.
    const restored = await patch(t.woo.channelId, {
      priceListId: pl!.id,
      defaultWarehouseId: t.warehouseId,
      createInvoice: 'on_shipping',
      autoCreateDeliveryNote: true,
      autoConfirm: true,
      approvalRequired: false,
      approvalFirstOrder: false,
    });
    expect(restored.status).toBe(200);
  });

  it('merges notification settings key by key, seals the WhatsApp token and never returns it', async () => {
    const first = await patch(t.shopify.channelId, {
      notifications: {
        language: 'en',
        email: { shipped: true, from: 'Shop <shop@example.com>', replyTo: 'help@example.com' },
        shopify: { notifyCustomer: false },
        whatsapp: {
          enabled: true,
          phoneNumberId: '1234567890',
          token: 'EAAG-cloud-api-token-0123456789',
          language: 'en_US',
          templates: { shipped: { name: 'order_shipped', params: ['customer_name', 'awb'] }, delivered: { name: 'order_delivered' } },
        },
      },
    });
    expect(first.status).toBe(200);
    expect(first.body.notifications).toEqual({
      language: 'en',
      shopify: { notifyCustomer: false },
      email: { shipped: true, from: 'Shop <shop@example.com>', replyTo: 'help@example.com' },
      whatsapp: {
        enabled: true,
        phoneNumberId: '1234567890',
        tokenSet: true,
        language: 'en_US',
        apiVersion: 'v21.0',
        baseUrl: 'https://graph.facebook.com',
        templates: { shipped: { name: 'order_shipped', params: ['customer_name', 'awb'] }, out_for_delivery: null, delivered: { name: 'order_delivered' } },
      },
    });
    expect(JSON.stringify(first.body)).not.toContain('EAAG');
    const stored = (await channelRow(t.shopify.channelId)).notifications;
    expect(stored.whatsapp.token).toMatch(/^v1\./);
    expect(core.deps.box.open(stored.whatsapp.token)).toBe('EAAG-cloud-api-token-0123456789');

    // Only the given keys: the rest of the document stays.
    const second = await patch(t.shopify.channelId, { notifications: { email: { shipped: false }, whatsapp: { templates: { delivered: null } } } });
    expect(second.status).toBe(200);
    expect(second.body.notifications.email).toEqual({ shipped: false, from: 'Shop <shop@example.com>', replyTo: 'help@example.com' });
    expect(second.body.notifications.whatsapp).toMatchObject({ enabled: true, tokenSet: true, templates: { shipped: { name: 'order_shipped' }, delivered: null } });
    expect(second.body.notifications.language).toBe('en');
    expect((await channelRow(t.shopify.channelId)).notifications.whatsapp.token).toBe(stored.whatsapp.token);

    const off = await patch(t.shopify.channelId, { notifications: { language: null, whatsapp: { enabled: false, token: null } } });
    expect(off.body.notifications).toMatchObject({ language: 'ro', whatsapp: { enabled: false, tokenSet: false } });
  });

  it.each<[string, unknown, string, string?]>([
    ['an unknown key', { approvalLimit: '5' }, 'approvalLimit', 'unknown field'],
    ['an unknown nested key', { notifications: { email: { bcc: 'a@b.ro' } } }, 'notifications.email.bcc', 'unknown field'],
    ['an intake status that does not exist', { statusMapIn: { processing: 'shipped' } }, 'statusMapIn.processing'],
    ['a store status that is not a slug', { statusMapIn: { 'Processing Now': 'new' } }, 'statusMapIn.Processing Now'],
    ['an Expedio status that does not exist', { statusMapOut: { sent: 'completed' } }, 'statusMapOut.sent'],
    ['a store status out that is not a slug', { statusMapOut: { delivered: 'Done!' } }, 'statusMapOut.delivered'],
    ['a price list id that is not an id', { priceListId: 'web' }, 'priceListId'],
    ['a warehouse id that is a number', { defaultWarehouseId: 5 }, 'defaultWarehouseId'],
    ['an invoice trigger that does not exist', { createInvoice: 'on_delivery' }, 'createInvoice'],
    ['a flag that is not a boolean', { autoCreateDeliveryNote: 'yes' }, 'autoCreateDeliveryNote'],
    ['auto confirm as a number', { autoConfirm: 1 }, 'autoConfirm'],
    ['an approval flag as a string', { approvalRequired: 'true' }, 'approvalRequired'],
    ['an approval amount as a number', { approvalMinTotal: 100 }, 'approvalMinTotal'],
    ['an approval amount with three decimals', { approvalMinTotal: '100.005' }, 'approvalMinTotal'],
    ['a negative approval amount', { approvalMinTotal: '-5' }, 'approvalMinTotal'],
    ['first-order approval as null', { approvalFirstOrder: null }, 'approvalFirstOrder'],
    ['a return window over 365 days', { returnWindowDays: 366 }, 'returnWindowDays'],
    ['a negative return window', { returnWindowDays: -1 }, 'returnWindowDays'],
    ['a fractional return window', { returnWindowDays: 1.5 }, 'returnWindowDays'],
    ['an empty invoice series', { invoiceSeries: '' }, 'invoiceSeries'],
    ['an invoice series over 10 characters', { invoiceSeries: 'ABCDEFGHIJK' }, 'invoiceSeries'],
    ['an invoice series with a dash', { invoiceSeries: 'EX-P' }, 'invoiceSeries'],
    ['a sync interval of 0', { syncIntervalMinutes: 0 }, 'syncIntervalMinutes'],
    ['a sync interval over a day', { syncIntervalMinutes: 1441 }, 'syncIntervalMinutes'],
    ['a language that is not ro or en', { notifications: { language: 'de' } }, 'notifications.language'],
    ['a From that is not an e-mail address', { notifications: { email: { from: 'the shop' } } }, 'notifications.email.from'],
    ['a Reply-To that is not an e-mail address', { notifications: { email: { replyTo: 'a@b' } } }, 'notifications.email.replyTo'],
    ['shipped e-mail as a string', { notifications: { email: { shipped: 'on' } } }, 'notifications.email.shipped'],
    ['a WhatsApp phone number id with letters', { notifications: { whatsapp: { phoneNumberId: 'abc123' } } }, 'notifications.whatsapp.phoneNumberId'],
    ['a WhatsApp token too short', { notifications: { whatsapp: { token: 'x' } } }, 'notifications.whatsapp.token'],
    ['a WhatsApp template name with spaces', { notifications: { whatsapp: { templates: { shipped: { name: 'Order shipped' } } } } }, 'notifications.whatsapp.templates.shipped.name'],
    ['a WhatsApp template parameter that does not exist', { notifications: { whatsapp: { templates: { shipped: { name: 'x', params: ['iban'] } } } } }, 'notifications.whatsapp.templates.shipped.params.0'],
    ['a WhatsApp template for an event that does not exist', { notifications: { whatsapp: { templates: { returned: { name: 'x' } } } } }, 'notifications.whatsapp.templates.returned', 'unknown field'],
    ['WhatsApp enabled without a phone number id and token', { notifications: { whatsapp: { enabled: true } } }, 'notifications.whatsapp.enabled', 'needs phoneNumberId and token'],
  ])('refuses %s with 400 naming the field, and writes nothing', async (_what, body, path, reason) => {
    const before = await channelRow(t.woo.channelId);
    // A valid key beside the invalid one must not be written either.
    const res = await patch(t.woo.channelId, { returnWindowDays: 7, ...(body as object) });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION');
    expect(res.body.error.details).toContainEqual({ path, reason: reason ?? expect.any(String) });
    expect(res.body.error.message).toContain(path);
    expect(await channelRow(t.woo.channelId)).toEqual(before);
  });

  it('refuses a price list or warehouse of another tenant with 400 naming the field, and writes nothing', async () => {
    const [pl] = await core.sql<{ id: string }[]>`select price_list_id::text as id from channels where id = ${other.woo.channelId}`;
    for (const [field, value] of [
      ['priceListId', pl!.id],
      ['defaultWarehouseId', other.warehouseId],
      ['priceListId', '999999999'],
    ] as const) {
      const before = await channelRow(t.woo.channelId);
      const res = await patch(t.woo.channelId, { invoiceSeries: 'NEVER', [field]: value });
      expect(res.status, field).toBe(400);
      expect(res.body.error.details).toEqual([{ path: field, reason: expect.stringMatching(/^unknown (price list|warehouse)$/) }]);
      expect(await channelRow(t.woo.channelId)).toEqual(before);
    }
  });

  it('refuses an outbound status mapping on a channel whose store takes no order status', async () => {
    const res = await patch(t.shopify.channelId, { statusMapOut: { delivered: 'completed' } });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ path: 'statusMapOut', reason: 'a shopify channel takes no order status' }]);
  });

  it("answers 404 for another tenant's channel, and for a channel that does not exist", async () => {
    expect((await getSettings(other.woo.channelId)).status).toBe(404);
    const before = await channelRow(other.woo.channelId);
    const res = await patch(other.woo.channelId, { returnWindowDays: 3 });
    expect(res.status).toBe(404);
    expect(await channelRow(other.woo.channelId)).toEqual(before);
    expect((await getSettings('999999999')).status).toBe(404);
  });

  it("lets a shop's session token read and change only its own channel's settings", async () => {
    const auth = () => ({ authorization: `Bearer ${sessionToken()}` });
    const own = await core.api(settingsUrl(t.shopify.channelId), { headers: auth() });
    expect(own.status).toBe(200);
    expect(own.body.channelId).toBe(t.shopify.channelId);
    const changed = await patch(t.shopify.channelId, { returnWindowDays: 45 }, { headers: auth() });
    expect(changed.status).toBe(200);
    expect(changed.body.returnWindowDays).toBe(45);

    expect((await core.api(settingsUrl(t.woo.channelId), { headers: auth() })).status).toBe(403);
    const before = await channelRow(t.woo.channelId);
    const refused = await patch(t.woo.channelId, { returnWindowDays: 45 }, { headers: auth() });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
    expect(await channelRow(t.woo.channelId)).toEqual(before);
  });

  it("refuses a shop's session token re-keying another channel's webhook secret (403, the stored secret unchanged)", async () => {
    const secretOf = async (id: string) => (await core.sql`select webhook_secret_enc from channels where tenant_id = ${t.tenantId} and id = ${id}`)[0]!.webhook_secret_enc;
    const before = await secretOf(t.woo.channelId);
    const res = await core.api(`/api/v1/channels/${t.woo.channelId}/webhook-secret`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${sessionToken()}` },
      body: JSON.stringify({ secret: 'a-secret-of-the-attacker-0123456789' }),
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect(await secretOf(t.woo.channelId)).toEqual(before);
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = await (await fetch(`${core.url}/openapi.json`)).json();
    expect(Object.keys(doc.paths['/api/v1/channels/{id}/settings'])).toEqual(expect.arrayContaining(['get', 'patch']));
    expect(doc.components.schemas.ChannelSettings.properties.notifications).toBeDefined();
    expect(doc.components.schemas.ChannelSettingsPatch.additionalProperties).toBe(false);
  });
});

describe('the settings change what the channel does', () => {
  it('approval required above 100: a 150 order awaits approval, a 50 order does not', async () => {
    expect((await patch(t.shopify.channelId, { approvalRequired: true, approvalMinTotal: '100' })).status).toBe(200);
    const big = await placeShopifyOrder(15);
    expect(big.approval_status).toBe('pending');
    const small = await placeShopifyOrder(5);
    expect(small.approval_status).toBeNull();
    await patch(t.shopify.channelId, { approvalRequired: false, approvalMinTotal: null });
  });

  it('status_map_in maps a WooCommerce status: on-hold starts as a draft once the channel says so', async () => {
    expect((await placeWooOrder('on-hold')).status).not.toBe('draft');
    expect((await patch(t.woo.channelId, { statusMapIn: { 'on-hold': 'draft' } })).status).toBe(200);
    expect((await placeWooOrder('on-hold')).status).toBe('draft');
    await patch(t.woo.channelId, { statusMapIn: {} });
  });

  it('create_invoice on_paid enqueues the invoice for a paid order; off enqueues none', async () => {
    const invoiceWork = async (orderId: string) =>
      (await core.sql`select 1 from outbox where tenant_id = ${t.tenantId} and kind = 'invoice.issue' and payload->>'orderId' = ${orderId}`).length;
    await patch(t.shopify.channelId, { createInvoice: 'on_paid' });
    const paid = await placeShopifyOrder(1);
    expect(await invoiceWork(paid.id)).toBe(1);
    await patch(t.shopify.channelId, { createInvoice: 'off' });
    const offOrder = await placeShopifyOrder(1);
    expect(await invoiceWork(offOrder.id)).toBe(0);
    await patch(t.shopify.channelId, { createInvoice: 'on_shipping' });
  });

  it('the sync interval decides when the periodic sync next pulls the channel', async () => {
    await core.sql`update channels set last_sync_at = now() - interval '20 minutes' where id = ${t.shopify.channelId}`;
    const due = async () => (await dueChannels(core.sql)).some((d) => d.channelId === t.shopify.channelId);
    expect(await due()).toBe(true);
    expect((await patch(t.shopify.channelId, { syncIntervalMinutes: 60 })).status).toBe(200);
    expect(await due()).toBe(false);
    await patch(t.shopify.channelId, { syncIntervalMinutes: 15 });
  });

  it('auto-create delivery note off: a confirmed order gets no delivery note; auto confirm off: it stays new', async () => {
    const notes = async (orderId: string) => (await core.sql`select 1 from delivery_notes where tenant_id = ${t.tenantId} and order_id = ${orderId}`).length;
    await patch(t.shopify.channelId, { autoCreateDeliveryNote: false });
    const a = await placeShopifyOrder(1);
    await core.drainOutbox();
    const [confirmed] = await core.sql`select status from orders where id = ${a.id}`;
    expect(confirmed!.status).toBe('confirmed');
    expect(await notes(a.id)).toBe(0);

    await patch(t.shopify.channelId, { autoCreateDeliveryNote: true, autoConfirm: false });
    const b = await placeShopifyOrder(1);
    await core.drainOutbox();
    const [waiting] = await core.sql`select status from orders where id = ${b.id}`;
    expect(waiting!.status).toBe('new');
    expect(await notes(b.id)).toBe(0);
    await patch(t.shopify.channelId, { autoConfirm: true });
  });
});
