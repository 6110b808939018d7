import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COURIER_ACCOUNT_KEYS } from '../../core/src/http/routes/courier-account-docs.ts';
import { type FakeBosta, startFakeBosta } from '../fakes/couriers/bosta/fake-bosta.ts';
import { type FakeCargus, startFakeCargus } from '../fakes/couriers/cargus/fake-cargus.ts';
import { type FakeFanCourier, startFakeFanCourier } from '../fakes/couriers/fancourier/fake-fancourier.ts';
import { type FakeInnoship, startFakeInnoship } from '../fakes/couriers/innoship/fake-innoship.ts';
import { type FakeSameday, startFakeSameday } from '../fakes/couriers/sameday/fake-sameday.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';

let core: CoreHarness;
let t: TenantFixture;
let innoship: FakeInnoship;
let sameday: FakeSameday;
let cargus: FakeCargus;
let fan: FakeFanCourier;
let bosta: FakeBosta;

beforeAll(async () => {
  core = await startCore();
  t = await core.createTenant();
  [innoship, sameday, cargus, fan, bosta] = await Promise.all([startFakeInnoship(), startFakeSameday(), startFakeCargus(), startFakeFanCourier(), startFakeBosta()]);
});
afterAll(async () => {
  for (const f of [innoship, sameday, cargus, fan, bosta]) await f?.close();
});

const CLUJ_SENDER = { name: 'Depozit Cluj', phone: '0740123456', county: 'Județul Cluj', locality: 'Cluj-Napoca', addressLine: 'Str. Fabricii 12', postalCode: '400632' };

const create = (body: Record<string, unknown>) => core.api('/api/v1/courier-accounts', { method: 'POST', key: t.apiKey, body: JSON.stringify(body) });
const put = (id: string, body: Record<string, unknown>) => core.api(`/api/v1/courier-accounts/${id}`, { method: 'PUT', key: t.apiKey, body: JSON.stringify(body) });
const test = (id: string) => core.api(`/api/v1/courier-accounts/${id}/test`, { method: 'POST', key: t.apiKey });

describe('courier account settings through the API', () => {
  it('saves a Sameday account with its sender address checked and normalised, and tests its credentials against Sameday', async () => {
    const body = { courier: 'sameday', name: 'Sameday', credentials: { username: 'sameday-user', password: 'sameday-pass' }, baseUrl: sameday.url, settings: { pickupPointId: 1234 }, senderAddress: CLUJ_SENDER };
    const r = await create(body);
    expect(r.status).toBe(201);
    expect(r.body.senderAddress).toEqual({ ...CLUJ_SENDER, county: 'Cluj', countyCode: 'CJ', countryCode: 'RO', contactPerson: null, email: null, district: null });
    expect(JSON.stringify(r.body)).not.toContain('sameday-pass');
    const ok = await test(r.body.id);
    expect(ok).toEqual({ status: 200, body: { ok: true, courier: 'sameday', accountId: r.body.id, operation: 'login' } });

    // Wrong password: the courier's refusal is the answer, named, and the stored account is unchanged.
    const upd = await put(r.body.id, { ...body, credentials: { username: 'sameday-user', password: 'wrong' } });
    expect(upd.status).toBe(200);
    expect(upd.body.senderAddress.countyCode).toBe('CJ');
    const bad = await test(r.body.id);
    expect(bad.status).toBe(200);
    expect(bad.body).toMatchObject({ ok: false, courier: 'sameday', error: { code: 'NEEDS_RECONNECT' } });
    expect(bad.body.error.message).toMatch(/sameday rejected the account credentials on login \(401\)/);
  });

  it("lists Sameday's services live from the courier with the account's default", async () => {
    const r = await create({ courier: 'sameday', name: 'Sameday shop 2', channelId: t.woo.channelId, credentials: { username: 'sameday-user', password: 'sameday-pass' }, baseUrl: sameday.url, settings: { pickupPointId: 99 }, defaultService: '15' });
    const s = await core.api(`/api/v1/courier-accounts/${r.body.id}/services`, { key: t.apiKey });
    expect(s.status).toBe(200);
    expect(s.body).toEqual({
      courier: 'sameday',
      accountId: r.body.id,
      defaultService: '15',
      services: [
        { code: '7', name: '24H (24)', source: 'courier' },
        { code: '15', name: 'Locker NextDay (LN)', source: 'courier' },
      ],
    });
    expect(sameday.state.calls.some((c) => c.path === '/api/client/services')).toBe(true);
  });

  it('refuses a sender address with an unknown county, a Bucharest locality without its sector, and a missing locality, naming each field; nothing is stored', async () => {
    const before = await core.sql`select count(*)::int as n from courier_accounts where tenant_id = ${t.tenantId}`;
    const base = { courier: 'cargus', name: 'Cargus', credentials: { subscriptionKey: cargus.subscriptionKey, username: 'cargus-user', password: 'cargus-pass' }, baseUrl: cargus.apiUrl, settings: { senderLocationId: 201165677 } };
    const unknownCounty = await create({ ...base, senderAddress: { ...CLUJ_SENDER, county: 'Transilvania' } });
    expect(unknownCounty.status).toBe(400);
    expect(unknownCounty.body.error.details).toEqual([{ path: 'senderAddress.county', reason: '"Transilvania" is not a Romanian county (code such as CJ or name such as Cluj)' }]);
    const noSector = await create({ ...base, senderAddress: { ...CLUJ_SENDER, county: 'B', locality: 'București', postalCode: null } });
    expect(noSector.status).toBe(400);
    expect(noSector.body.error.details).toEqual([{ path: 'senderAddress.locality', reason: 'a Bucharest address names its sector (Sector 1 to Sector 6)' }]);
    const noLocality = await create({ ...base, senderAddress: { ...CLUJ_SENDER, locality: ' ' } });
    expect(noLocality.body.error.details).toEqual([{ path: 'senderAddress.locality', reason: 'is required' }]);
    const after = await core.sql`select count(*)::int as n from courier_accounts where tenant_id = ${t.tenantId}`;
    expect(after[0]!.n).toBe(before[0]!.n);
    // With the sector it is accepted.
    const ok = await create({ ...base, senderAddress: { ...CLUJ_SENDER, county: 'Bucuresti', locality: 'București Sector 3', postalCode: '030167' } });
    expect(ok.status).toBe(201);
    expect(ok.body.senderAddress).toMatchObject({ county: 'Bucuresti', countyCode: 'B' });
    expect((await test(ok.body.id)).body).toMatchObject({ ok: true, courier: 'cargus', operation: 'login' });
  });

  it('tests Cargus, FAN Courier, Innoship and Bosta credentials with their cheapest authenticated call, and names each refusal', async () => {
    const fanAcc = await create({ courier: 'fancourier', name: 'FAN', credentials: { username: 'fan-user', password: 'fan-pass' }, baseUrl: fan.url, settings: { clientId: 7000000 } });
    expect((await test(fanAcc.body.id)).body).toMatchObject({ ok: true, operation: 'login + reports/awb' });
    // A clientId of another customer: the login works, the client check does not.
    await put(fanAcc.body.id, { courier: 'fancourier', name: 'FAN', baseUrl: fan.url, settings: { clientId: 1 } });
    const wrongClient = await test(fanAcc.body.id);
    expect(wrongClient.body).toMatchObject({ ok: false, courier: 'fancourier', error: { code: 'VALIDATION', httpStatus: 422 } });
    expect(wrongClient.body.error.message).toMatch(/client id is invalid/);

    const inno = await create({ courier: 'innoship', name: 'Innoship', credentials: { apiKey: 'not-the-key' }, baseUrl: innoship.url, settings: { clientLocationId: '1', courierId: 1 } });
    const innoBad = await test(inno.body.id);
    expect(innoBad.body).toMatchObject({ ok: false, courier: 'innoship', error: { code: 'NEEDS_RECONNECT', httpStatus: 401 } });
    await put(inno.body.id, { courier: 'innoship', name: 'Innoship', credentials: { apiKey: innoship.apiKey }, baseUrl: innoship.url, settings: { clientLocationId: '1', courierId: 1 } });
    expect((await test(inno.body.id)).body).toMatchObject({ ok: true, operation: 'track' });

    const bo = await create({ courier: 'bosta', name: 'Bosta', credentials: { apiKey: 'bosta-api-key' }, baseUrl: bosta.apiUrl, settings: {} });
    expect((await test(bo.body.id)).body).toMatchObject({ ok: true, operation: 'deliveries/search' });
    await put(bo.body.id, { courier: 'bosta', name: 'Bosta', credentials: { apiKey: 'revoked' }, baseUrl: bosta.apiUrl, settings: {} });
    const boBad = await test(bo.body.id);
    expect(boBad.body).toMatchObject({ ok: false, error: { code: 'NEEDS_RECONNECT', httpStatus: 401 } });
    expect(boBad.body.error.message).toBe('bosta rejected the account credentials on verify-key (401); update the courier account.');

    // Every test call is in the courier audit log, like any other courier call.
    const [audit] = await core.sql`select count(*)::int as n from courier_audit_log where tenant_id = ${t.tenantId} and operation in ('verify-key', 'verify-client', 'login')`;
    expect(audit!.n).toBeGreaterThanOrEqual(6);
    // The catalogue couriers answer their documented codes.
    const cat = await core.api(`/api/v1/courier-accounts/${bo.body.id}/services`, { key: t.apiKey });
    expect(cat.body.services.map((s: { code: string }) => s.code)).toEqual(['10', '15', '25', '30']);
  });

  it("a test of another tenant's account is 404", async () => {
    const other = await core.createTenant();
    const acc = await core.sql<{ id: string }[]>`select id::text from courier_accounts where tenant_id = ${t.tenantId} limit 1`;
    const r = await core.api(`/api/v1/courier-accounts/${acc[0]!.id}/test`, { method: 'POST', key: other.apiKey });
    expect(r.status).toBe(404);
  });

  it('docs/couriers.md and the OpenAPI description name every key each adapter reads', async () => {
    const doc = readFileSync(new URL('../../docs/couriers.md', import.meta.url), 'utf8');
    const openapi = (await (await fetch(`${core.url}/openapi.json`)).json()) as { paths: Record<string, { post?: { description?: string } }> };
    const described = openapi.paths['/api/v1/courier-accounts']!.post!.description ?? '';
    const adapterSource = ['courier-accounts.ts', 'courier-clients.ts'].map((f) => readFileSync(new URL(`../../core/src/shipping/${f}`, import.meta.url), 'utf8')).join('\n');
    for (const [courier, keys] of Object.entries(COURIER_ACCOUNT_KEYS)) {
      for (const k of [...keys.credentials, ...keys.required, ...keys.optional]) {
        expect(doc, `${courier} ${k} in docs/couriers.md`).toContain(`\`${k}\``);
        expect(described, `${courier} ${k} in the OpenAPI description`).toContain(k);
        expect(adapterSource, `${courier} ${k} is read by the adapter factory`).toMatch(new RegExp(`[.'"]${k}\\b`));
      }
    }
  });
});
