import { beforeAll, describe, expect, it } from 'vitest';
import { sendShopifyWebhook } from '../../../test/fakes/shopify/send-shopify-webhook.ts';
import { type CoreHarness, startCore, stockOf, type TenantFixture } from '../../../test/support/core-harness.ts';
import { shopifyOrderBody } from '../../../test/support/orders.ts';
import type { Tx } from '../db/connect.ts';
import { cancelOrder, confirmOrder } from './order-actions.ts';
import { defineStep, runStep, startFlow, undoSubject } from './steps.ts';

let core: CoreHarness;
let t: TenantFixture;

beforeAll(async () => {
  core = await startCore();
  t = await core.createTenant({ stock: { 'A-1': 5 }, channel: { auto_confirm: false } });
});

async function placeOrder(lines: Array<[string, number]>): Promise<string> {
  const { raw, id } = shopifyOrderBody({ lines, email: `buyer${Math.random()}@example.com` });
  const res = await sendShopifyWebhook({ url: `${core.url}/webhooks/shopify`, topic: 'orders/create', shopDomain: t.shopify.shopDomain, body: raw, secret: t.shopify.apiSecret });
  expect(res.status).toBe(200);
  const [o] = await core.sql`select id::text from orders where tenant_id = ${t.tenantId} and external_order_id = ${id}`;
  return o!.id as string;
}

const stepsOf = (orderId: string) =>
  core.sql<{ flow: string; runStatus: string; step: string; status: string }[]>`
    select r.flow, r.status as "runStatus", s.step, s.status from flow_runs r join flow_steps s on s.tenant_id = r.tenant_id and s.run_id = r.id
    where r.tenant_id = ${t.tenantId} and r.subject_type = 'order' and r.subject_id = ${orderId} order by r.id, s.seq`;

describe('flows: named steps with an undo, recorded in Postgres', () => {
  it('a confirm records its reserve step; the cancel undoes it, releasing the stock once', async () => {
    const orderId = await placeOrder([['A-1', 2]]);
    await core.sql.begin((tx) => confirmOrder(tx as unknown as Tx, t.tenantId, orderId));
    expect(await stepsOf(orderId)).toEqual([{ flow: 'order.confirm', runStatus: 'done', step: 'order.reserve_stock', status: 'done' }]);
    expect(await stockOf(core.sql, t.tenantId, t.productIds['A-1']!)).toMatchObject({ reserved: 2 });

    const cancelled = await core.sql.begin((tx) => cancelOrder(tx as unknown as Tx, t.tenantId, orderId, 'customer changed their mind'));
    expect(cancelled.releasedUnits).toBe(2);
    expect(await stepsOf(orderId)).toEqual([{ flow: 'order.confirm', runStatus: 'undone', step: 'order.reserve_stock', status: 'undone' }]);
    expect(await stockOf(core.sql, t.tenantId, t.productIds['A-1']!)).toMatchObject({ reserved: 0 });
    const [line] = await core.sql`select quantity_reserved from order_lines where tenant_id = ${t.tenantId} and order_id = ${orderId}`;
    expect(line!.quantity_reserved).toBe(0);
    const [note] = await core.sql`select note from stock_movements where tenant_id = ${t.tenantId} and cause_id = ${orderId} and kind = 'release'`;
    expect(note!.note).toBe('cancelled: customer changed their mind');
  });

  it('a confirm that reserves nothing (stock short, order held) records no step', async () => {
    const orderId = await placeOrder([['A-1', 50]]);
    const r = await core.sql.begin((tx) => confirmOrder(tx as unknown as Tx, t.tenantId, orderId));
    expect(r.status).toBe('on_hold');
    expect(await stepsOf(orderId)).toEqual([]);
  });

  it('a step and its record commit together: when the transaction rolls back, neither remains', async () => {
    const orderId = await placeOrder([['A-1', 1]]);
    await expect(
      core.sql.begin(async (tx) => {
        await confirmOrder(tx as unknown as Tx, t.tenantId, orderId);
        throw new Error('crash after the reserve');
      }),
    ).rejects.toThrow('crash after the reserve');
    expect(await stepsOf(orderId)).toEqual([]);
    const [o] = await core.sql`select status from orders where tenant_id = ${t.tenantId} and id = ${orderId}`;
    expect(o!.status).toBe('new');
  });

  it("an external step's undo goes through the outbox and runs once, even when the item is delivered twice", async () => {
    const calls: string[] = [];
    const step = defineStep({
      id: 'test.external_call',
      external: true,
      async run(_tx: Tx, input: { ref: string }) {
        return { output: input.ref, undo: { ref: input.ref } };
      },
      async undo(_tx: Tx, _tenantId: string, u: { ref: string }, why: string) {
        calls.push(`${u.ref}:${why}`);
      },
    });
    const subject = { type: 'test', id: `s${Date.now()}` };
    await core.sql.begin(async (tx) => {
      const run = startFlow(t.tenantId, 'test.flow', subject);
      await runStep(tx as unknown as Tx, run, step, { ref: 'AWB1' });
    });
    const queued = await core.sql.begin((tx) => undoSubject(tx as unknown as Tx, t.tenantId, subject, 'operator'));
    expect(queued).toEqual({ undone: [], queued: ['test.external_call'] });
    expect(calls).toEqual([]); // nothing outside Postgres is called inside the caller's transaction
    await core.drainOutbox();
    expect(calls).toEqual(['AWB1:operator']);
    // A redelivery of the same outbox item (a worker that crashed before marking it done) is a no-op.
    const [item] = await core.sql`select id::text from outbox where tenant_id = ${t.tenantId} and kind = 'flow.undo_step' order by id desc limit 1`;
    await core.sql`update outbox set status = 'pending', next_attempt_at = now() where tenant_id = ${t.tenantId} and id = ${item!.id}`;
    await core.drainOutbox();
    expect(calls).toEqual(['AWB1:operator']);
    // Undoing again finds nothing left to undo.
    expect(await core.sql.begin((tx) => undoSubject(tx as unknown as Tx, t.tenantId, subject, 'again'))).toEqual({ undone: [], queued: [] });
  });
});

describe('flows: invoice ↔ credit note', () => {
  it('cancelling an invoiced order issues a storno credit note for the invoice and releases the stock', async () => {
    const { PROFILE } = await import('../../../test/invoicing/support.ts');
    const inv = await core.createTenant({ stock: { 'A-1': 5 }, channel: { auto_confirm: false, create_invoice: 'on_paid', invoice_series: 'UND' } });
    expect((await core.api('/api/v1/invoicing/profile', { method: 'PUT', key: inv.apiKey, body: JSON.stringify(PROFILE) })).status).toBe(204);
    // The sample Shopify order is in USD.
    await core.sql`insert into invoicing_fx_rates (tenant_id, currency, valid_on, ron_per_unit) values (${inv.tenantId}, 'USD', '2020-01-01', '4.5')`;
    const { raw, id } = shopifyOrderBody({ lines: [['A-1', 1]], email: `buyer${Math.random()}@example.com` });
    await sendShopifyWebhook({ url: `${core.url}/webhooks/shopify`, topic: 'orders/create', shopDomain: inv.shopify.shopDomain, body: raw, secret: inv.shopify.apiSecret });
    const [o] = await core.sql`select id::text from orders where tenant_id = ${inv.tenantId} and external_order_id = ${id}`;
    const orderId = o!.id as string;
    expect((await core.api(`/api/v1/orders/${orderId}/confirm`, { method: 'POST', key: inv.apiKey })).body.status).toBe('confirmed');
    const issued = await core.api(`/api/v1/orders/${orderId}/invoice`, { method: 'POST', key: inv.apiKey });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);

    const cancelled = await core.api(`/api/v1/orders/${orderId}/cancel`, { method: 'POST', key: inv.apiKey, body: JSON.stringify({ reason: 'out of stock at the supplier' }) });
    expect(cancelled.status).toBe(200);
    const docs = await core.sql`select kind, full_number, credited_invoice_id::text, reason from invoices where tenant_id = ${inv.tenantId} and order_id = ${orderId} order by id`;
    expect(docs.map((d) => d.kind)).toEqual(['invoice', 'credit_note']);
    expect(docs[1]!.reason).toBe('Stornare: cancelled: out of stock at the supplier');
    const [invoice] = await core.sql`select id::text from invoices where tenant_id = ${inv.tenantId} and order_id = ${orderId} and kind = 'invoice'`;
    expect(docs[1]!.credited_invoice_id).toBe(invoice!.id);
    expect(await stockOf(core.sql, inv.tenantId, inv.productIds['A-1']!)).toMatchObject({ reserved: 0 });
  });
});
