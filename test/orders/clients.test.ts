import { beforeAll, describe, expect, it } from 'vitest';
import { PROFILE } from '../invoicing/support.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { manualOrderBody, newB2bClient } from '../support/manual-orders.ts';

let core: CoreHarness;
let t: TenantFixture;
beforeAll(async () => {
  core = await startCore();
  t = await core.createTenant();
});

const post = (path: string, body: unknown) => core.api(path, { method: 'POST', key: t.apiKey, body: JSON.stringify(body) });
const get = (path: string) => core.api(path, { key: t.apiKey });

describe('clients', () => {
  it('creates, searches by name, e-mail, phone and CUI, and edits a client', async () => {
    const company = await post('/api/v1/clients', newB2bClient({ email: 'office@ambra.test', company: 'Ambra Textile SRL', cui: '18547290', vatPayer: true }));
    expect(company.status).toBe(201);
    expect(company.body).toMatchObject({ kind: 'company', cui: 'RO18547290', vatPayer: true, tradeRegisterNo: 'J12/3456/2019', iban: 'RO49AAAA1B31007593840000' });
    expect(company.body.billingAddress).toMatchObject({ city: 'Cluj-Napoca', provinceCode: 'CJ' });
    const person = await post('/api/v1/clients', { firstName: 'Elena', lastName: 'Dragomir', email: 'Elena.D@Example.test', phone: '+40 733 555 666' });
    expect(person.body).toMatchObject({ kind: 'person', email: 'elena.d@example.test' });

    const ids = async (q: string) => (await get(`/api/v1/clients?q=${encodeURIComponent(q)}`)).body.clients.map((c: { id: string }) => c.id);
    expect(await ids('ambra')).toEqual([company.body.id]);
    expect(await ids('18547290')).toEqual([company.body.id]);
    expect(await ids('dragomir elena')).toEqual([person.body.id]);
    expect(await ids('733555')).toEqual([person.body.id]);
    expect(await ids('elena.d@')).toEqual([person.body.id]);
    expect(await ids('nobody-here')).toEqual([]);

    const bad = await core.api(`/api/v1/clients/${person.body.id}`, { method: 'PATCH', key: t.apiKey, body: JSON.stringify({ kind: 'company', company: 'Dragomir PFA' }) });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([{ path: 'cui', reason: 'required for a company' }]);
    const edited = await core.api(`/api/v1/clients/${person.body.id}`, { method: 'PATCH', key: t.apiKey, body: JSON.stringify({ phone: '0733 000 000', lastName: null, shippingAddress: { address1: 'Str. Mare 2', city: 'Brașov', province: 'Brașov' } }) });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ phone: '0733 000 000', lastName: null, firstName: 'Elena' });
    expect(edited.body.shippingAddress).toMatchObject({ provinceCode: 'BV' });

    const taken = await post('/api/v1/clients', { firstName: 'Other', email: 'ELENA.D@example.test' });
    expect(taken.status).toBe(409);
    expect(taken.body.error.details).toEqual([{ path: 'email', reason: `used by client ${person.body.id}` }]);
  });

  it('finds duplicates by mailbox and merges one into the other: orders and invoices move in one transaction, the merge is on record', async () => {
    expect((await core.api('/api/v1/invoicing/profile', { method: 'PUT', key: t.apiKey, body: JSON.stringify(PROFILE) })).status).toBeLessThan(300);
    const kept = (await post('/api/v1/clients', { firstName: 'Ana', lastName: 'Pop', email: 'ana.pop@gmail.com', shippingAddress: { address1: 'Str. A 1', city: 'Arad', province: 'AR' } })).body;
    const dup = (await post('/api/v1/clients', { firstName: 'Ana', lastName: 'Pop', email: 'AnaPop+shop@gmail.com', phone: '0711 222 333', shippingAddress: { address1: 'Str. B 2', city: 'Deva', province: 'Hunedoara' } })).body;
    const groups = (await get('/api/v1/clients/duplicates')).body.groups;
    expect(groups).toEqual([{ emailKey: 'anapop@gmail.com', clients: [expect.objectContaining({ id: kept.id }), expect.objectContaining({ id: dup.id })] }]);

    const o1 = (await post('/api/v1/orders', manualOrderBody({ clientId: dup.id, lines: [{ sku: 'A-1', quantity: 1, unitPrice: '12.00' }], shippingAddress: undefined }))).body;
    const o2 = (await post('/api/v1/orders', manualOrderBody({ clientId: dup.id, lines: [{ sku: 'A-2', quantity: 1, unitPrice: '4.00' }] }))).body;
    expect(o1.shippingAddress).toMatchObject({ city: 'Deva', firstName: 'Ana' });
    const invoice = await post(`/api/v1/orders/${o1.id}/invoice`, {});
    expect(invoice.status).toBe(201);

    const self = await post(`/api/v1/clients/${kept.id}/merge`, { mergeClientId: kept.id });
    expect(self.status).toBe(400);
    expect(self.body.error.details[0].path).toBe('mergeClientId');

    const merged = await post(`/api/v1/clients/${kept.id}/merge`, { mergeClientId: dup.id, mergedBy: 'operator@test' });
    expect(merged.status).toBe(200);
    expect(merged.body.merge).toMatchObject({ keptClientId: kept.id, mergedClientId: dup.id, orderIds: [o1.id, o2.id].sort((a: string, b: string) => Number(a) - Number(b)), invoiceIds: [invoice.body.invoiceId], mergedBy: 'operator@test' });
    const [{ n: addresses }] = (await core.sql`select count(*)::int as n from client_addresses where tenant_id = ${t.tenantId} and client_id = ${kept.id}`) as unknown as [{ n: number }];
    // The kept client's own address, and the duplicate's (its own and those its two orders used).
    expect(merged.body.merge.addressesMoved).toBe(addresses - 1);
    expect(merged.body.merge.mergedClient).toMatchObject({ email: 'anapop+shop@gmail.com', phone: '0711 222 333' });
    // The kept client takes what it lacked (the phone), never the other e-mail.
    expect(merged.body.client).toMatchObject({ id: kept.id, email: 'ana.pop@gmail.com', phone: '0711 222 333' });

    for (const o of [o1, o2]) expect((await get(`/api/v1/orders/${o.id}`)).body.client.id).toBe(kept.id);
    const [inv] = await core.sql`select client_id::text from invoices where tenant_id = ${t.tenantId} and id = ${invoice.body.invoiceId}`;
    expect(inv!.client_id).toBe(kept.id);
    expect((await get(`/api/v1/clients/${dup.id}`)).status).toBe(404);
    expect((await get('/api/v1/clients/duplicates')).body.groups).toEqual([]);
    const detail = (await get(`/api/v1/clients/${kept.id}`)).body;
    expect(detail.merges).toHaveLength(1);
    expect(detail.merges[0].mergedClientId).toBe(dup.id);
  });

  it('a merge that fails part-way changes nothing (one transaction)', async () => {
    const a = (await post('/api/v1/clients', { firstName: 'X', email: 'x.y@gmail.com' })).body;
    const b = (await post('/api/v1/clients', { firstName: 'X', email: 'xy@gmail.com' })).body;
    const o = (await post('/api/v1/orders', manualOrderBody({ clientId: b.id, lines: [{ sku: 'A-3', quantity: 1, unitPrice: '1.00' }] }))).body;
    // A trigger that refuses the merge record makes the last statement of the merge fail.
    await core.sql.unsafe(`create function refuse_merge() returns trigger language plpgsql as $$ begin raise exception 'refused for the test'; end $$;
      create trigger refuse_merge before insert on client_merges for each row execute function refuse_merge()`);
    try {
      const r = await post(`/api/v1/clients/${a.id}/merge`, { mergeClientId: b.id });
      expect(r.status).toBe(500);
    } finally {
      await core.sql.unsafe('drop trigger refuse_merge on client_merges; drop function refuse_merge()');
    }
    expect((await get(`/api/v1/orders/${o.id}`)).body.client.id).toBe(b.id);
    expect((await get(`/api/v1/clients/${b.id}`)).status).toBe(200);
  });
});
