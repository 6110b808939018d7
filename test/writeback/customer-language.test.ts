import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCredentials } from '../../core/src/channels/channel-repo.ts';
import { type FakeWooCommerce, startFakeWooCommerce } from '../fakes/woocommerce/fake-woocommerce.ts';
import { makeWooOrder } from '../fakes/woocommerce/make-woo-order.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { insertShippedOrder } from './support.ts';

let core: CoreHarness;
let woo: FakeWooCommerce;
let t: TenantFixture;

beforeAll(async () => {
  core = await startCore();
  woo = await startFakeWooCommerce({ consumerKey: 'ck_lang', consumerSecret: 'cs_lang' });
  t = await core.createTenant();
  await writeCredentials(core.sql, core.deps.box, t.tenantId, t.woo.channelId, { consumerKey: 'ck_lang', consumerSecret: 'cs_lang', adminBaseUrl: woo.url });
});
afterAll(() => woo.close());

async function shippedNote(): Promise<{ note: string; awb: string; trackingUrl: string }> {
  const order = woo.upsertOrder(makeWooOrder({ status: 'processing' }));
  const s = await insertShippedOrder(core.sql, t, { channelId: t.woo.channelId, externalOrderId: String(order.id), courier: 'cargus', lines: [{ sku: 'A-1', quantity: 1, externalLineId: '411' }] });
  await core.drainOutbox();
  const notes = (woo.notes.get(order.id) ?? []).filter((n) => n.customer_note);
  expect(notes).toHaveLength(1);
  return { note: notes[0]!.note, awb: s.awb, trackingUrl: s.trackingUrl };
}

describe("customer texts in the channel's language", () => {
  it('writes the WooCommerce customer note in Romanian when the channel says nothing', async () => {
    const { note, awb, trackingUrl } = await shippedNote();
    expect(note).toBe(`Comanda a fost predată curierului Cargus. AWB: ${awb}. Urmărire colet: ${trackingUrl}`);
  });

  it('writes it in English on a channel whose notifications.language is en', async () => {
    await core.sql`update channels set notifications = ${core.sql.json({ language: 'en' })} where id = ${t.woo.channelId}`;
    const { note, awb, trackingUrl } = await shippedNote();
    expect(note).toBe(`Your order was handed to the courier Cargus. AWB: ${awb}. Track the parcel: ${trackingUrl}`);
  });
});
