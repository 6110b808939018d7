import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShipmentRequest } from '../../core/src/shipping/courier-adapter.ts';
import { type CourierAccount, type CourierAccountInput, createCourierAdapter, listCourierAccounts, loadCourierAccount, resolveCourierAccount, resolveCourierAccounts, saveCourierAccount } from '../../core/src/shipping/courier-accounts.ts';
import { createSecretBox, generateMasterKey } from '../../core/src/shared/secret-box.ts';
import { type FakeBosta, startFakeBosta } from '../fakes/couriers/bosta/fake-bosta.ts';
import { type FakeCargus, startFakeCargus } from '../fakes/couriers/cargus/fake-cargus.ts';
import { type FakeFanCourier, startFakeFanCourier } from '../fakes/couriers/fancourier/fake-fancourier.ts';
import { type FakeInnoship, startFakeInnoship } from '../fakes/couriers/innoship/fake-innoship.ts';
import { type FakeSameday, startFakeSameday } from '../fakes/couriers/sameday/fake-sameday.ts';
import { testDatabase } from '../support/test-db.ts';
import { auditedFetch, auditRows, auditTenant, roRequest } from './courier-test-support.ts';

const idOf = (rows: { id: string }[]): string => rows[0]!.id;

describe('courier accounts: sealed credentials, scope resolution, adapter factory', () => {
  let sql: Awaited<ReturnType<typeof testDatabase>>['sql'];
  const box = createSecretBox(generateMasterKey());
  let tenantId: string;
  let otherTenant: string;
  let channelId: string;
  let warehouseId: string;
  const fakes: { innoship?: FakeInnoship; sameday?: FakeSameday; cargus?: FakeCargus; fancourier?: FakeFanCourier; bosta?: FakeBosta } = {};
  beforeAll(async () => {
    ({ sql } = await testDatabase());
    tenantId = await auditTenant(sql);
    otherTenant = await auditTenant(sql);
    const [ch] = await sql<{ id: string }[]>`insert into channels (tenant_id, kind, name) values (${tenantId}, 'manual', 'Shop A') returning id::text`;
    const [wh] = await sql<{ id: string }[]>`insert into warehouses (tenant_id, code, name) values (${tenantId}, 'CLJ1', 'Cluj') returning id::text`;
    channelId = ch!.id;
    warehouseId = wh!.id;
    [fakes.innoship, fakes.sameday, fakes.cargus, fakes.fancourier, fakes.bosta] = await Promise.all([startFakeInnoship(), startFakeSameday(), startFakeCargus(), startFakeFanCourier(), startFakeBosta()]);
  });
  afterAll(async () => {
    for (const f of Object.values(fakes)) await f?.close();
  });

  const sameday = (over: Partial<CourierAccountInput> = {}): CourierAccountInput => ({
    courier: 'sameday',
    name: 'Sameday tenant-wide',
    credentials: { username: 'sameday-user', password: 'sameday-pass' },
    settings: { pickupPointId: 1234 },
    ...over,
  });

  it('stores credentials sealed, never in clear, and loads them back opened', async () => {
    const saved = await saveCourierAccount(sql, box, tenantId, sameday({ baseUrl: fakes.sameday!.url }));
    const [raw] = await sql<{ credentials_enc: string; settings: object }[]>`select credentials_enc, settings from courier_accounts where tenant_id = ${tenantId} and id = ${saved.id}`;
    expect(raw!.credentials_enc).toMatch(/^v1\./);
    expect(raw!.credentials_enc).not.toContain('sameday-pass');
    expect(raw!.credentials_enc).not.toContain('sameday-user');
    const dump = JSON.stringify(await sql`select * from courier_accounts`);
    expect(dump).not.toContain('sameday-pass');
    const loaded = await loadCourierAccount(sql, box, tenantId, saved.id);
    expect(loaded).toMatchObject({ courier: 'sameday', credentials: { username: 'sameday-user', password: 'sameday-pass' }, settings: { pickupPointId: 1234 }, baseUrl: fakes.sameday!.url });
    const list = await listCourierAccounts(sql, box, tenantId);
    expect(list.find((a) => a.id === saved.id)).toMatchObject({ credentialKeys: ['password', 'username'] });
    expect(JSON.stringify(list)).not.toContain('sameday-pass');
    // Another tenant cannot load it.
    await expect(loadCourierAccount(sql, box, otherTenant, saved.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // A different master key cannot open it.
    await expect(loadCourierAccount(sql, createSecretBox(generateMasterKey()), tenantId, saved.id)).rejects.toThrow();
  });

  it('updating settings without credentials keeps the stored secrets; the default base URL is the courier’s', async () => {
    const saved = await saveCourierAccount(sql, box, otherTenant, { courier: 'cargus', name: 'Cargus', credentials: { subscriptionKey: 'k', username: 'u', password: 'p' }, settings: { senderLocationId: 1 } });
    expect(saved.baseUrl).toBe('https://urgentcargus.azure-api.net/api/');
    const updated = await saveCourierAccount(sql, box, otherTenant, { id: saved.id, courier: 'cargus', name: 'Cargus renamed', settings: { senderLocationId: 2 } });
    expect(updated).toMatchObject({ name: 'Cargus renamed', settings: { senderLocationId: 2 }, credentials: { subscriptionKey: 'k', username: 'u', password: 'p' } });
  });

  it('rejects bad input naming each field, and stores nothing', async () => {
    const before = await sql`select count(*)::int as n from courier_accounts`;
    const err = await saveCourierAccount(sql, box, tenantId, { courier: 'cargus', name: '', credentials: { username: 'u' }, settings: { statusOverrides: { 21: 'delivred' } }, baseUrl: 'ftp://x' }).catch((e) => e);
    expect(err.code).toBe('VALIDATION');
    expect(err.details.map((d: { path: string }) => d.path).sort()).toEqual(
      ['baseUrl', 'credentials.password', 'credentials.subscriptionKey', 'name', 'settings.senderLocationId', 'settings.statusOverrides.21'].sort(),
    );
    const unknown = await saveCourierAccount(sql, box, tenantId, { courier: 'dhl' as never, name: 'x' }).catch((e) => e);
    expect(unknown.details).toEqual([{ path: 'courier', reason: 'must be one of innoship, cargus, fancourier, sameday, bosta' }]);
    const foreign = await saveCourierAccount(sql, box, otherTenant, sameday({ channelId })).catch((e) => e);
    expect(foreign).toMatchObject({ code: 'VALIDATION', details: [{ path: 'channelId', reason: 'not found' }] });
    expect(await sql`select count(*)::int as n from courier_accounts`).toEqual(before);
  });

  it('resolves the most specific active account: channel+warehouse, then channel, then warehouse, then tenant-wide', async () => {
    const t = await auditTenant(sql);
    const ch = idOf(await sql<{ id: string }[]>`insert into channels (tenant_id, kind, name) values (${t}, 'manual', 'S') returning id::text`);
    const ch2 = idOf(await sql<{ id: string }[]>`insert into channels (tenant_id, kind, name) values (${t}, 'woocommerce', 'S2') returning id::text`);
    const wh = idOf(await sql<{ id: string }[]>`insert into warehouses (tenant_id, code, name) values (${t}, 'W', 'W') returning id::text`);
    const wh2 = idOf(await sql<{ id: string }[]>`insert into warehouses (tenant_id, code, name) values (${t}, 'W2', 'W2') returning id::text`);
    const wide = await saveCourierAccount(sql, box, t, sameday({ name: 'wide' }));
    const byWh = await saveCourierAccount(sql, box, t, sameday({ name: 'warehouse', warehouseId: wh }));
    const byCh = await saveCourierAccount(sql, box, t, sameday({ name: 'channel', channelId: ch }));
    const both = await saveCourierAccount(sql, box, t, sameday({ name: 'both', channelId: ch, warehouseId: wh }));
    const pick = async (channelId: string | null, warehouseId: string | null) => (await resolveCourierAccount(sql, box, t, 'sameday', { channelId, warehouseId }))?.name;
    expect(await pick(ch, wh)).toBe(both.name);
    expect(await pick(ch, wh2)).toBe(byCh.name);
    expect(await pick(ch2, wh)).toBe(byWh.name);
    expect(await pick(ch2, wh2)).toBe(wide.name);
    expect(await pick(null, null)).toBe(wide.name);
    expect((await resolveCourierAccount(sql, box, t, 'sameday', { channelId: ch }))!.credentials.password).toBe('sameday-pass');
    // Inactive accounts are skipped; a second active account in the same scope is a conflict.
    await saveCourierAccount(sql, box, t, { ...sameday({ name: 'both', channelId: ch, warehouseId: wh }), id: both.id, credentials: undefined, active: false });
    expect(await pick(ch, wh)).toBe(byCh.name);
    await expect(saveCourierAccount(sql, box, t, sameday({ name: 'dup', channelId: ch }))).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await resolveCourierAccount(sql, box, t, 'cargus', { channelId: ch })).toBeNull();
    const bosta = await saveCourierAccount(sql, box, t, { courier: 'bosta', name: 'Bosta', credentials: { apiKey: 'k' } });
    expect(bosta.credentials.webhookSecret).toMatch(/^[\w-]{32}$/);
    expect((await resolveCourierAccounts(sql, box, t, { channelId: ch, warehouseId: wh })).map((a) => `${a.courier}:${a.name}`)).toEqual(['bosta:Bosta', 'sameday:channel']);
  });

  const egRequest = (): ShipmentRequest => ({
    ...roRequest(),
    address: { name: 'Mona Hassan', phone: '+20 100 000 0000', countryCode: 'EG', locality: 'Cairo', district: '15 May', addressLine: '12 Example Street, Nasr City' },
    cod: { amount: '100.00', currency: 'EGP' },
  });

  it('builds a working adapter for each of the five couriers from a stored account, audited per account', async () => {
    const inputs: CourierAccountInput[] = [
      { courier: 'innoship', name: 'Innoship', channelId, credentials: { apiKey: fakes.innoship!.apiKey }, baseUrl: fakes.innoship!.url, settings: { clientLocationId: '1', courierId: 1 } },
      { courier: 'sameday', name: 'Sameday', channelId, warehouseId, credentials: { username: 'sameday-user', password: 'sameday-pass' }, baseUrl: fakes.sameday!.url, settings: { pickupPointId: 1234 } },
      { courier: 'cargus', name: 'Cargus', channelId, credentials: { subscriptionKey: fakes.cargus!.subscriptionKey, username: 'cargus-user', password: 'cargus-pass' }, baseUrl: fakes.cargus!.apiUrl, settings: { senderLocationId: 201165677 } },
      { courier: 'fancourier', name: 'FAN', channelId, credentials: { username: 'fan-user', password: 'fan-pass' }, baseUrl: fakes.fancourier!.url, settings: { clientId: fakes.fancourier!.clientId }, defaultService: 'Standard' },
      { courier: 'bosta', name: 'Bosta', channelId, credentials: { apiKey: fakes.bosta!.apiKey, webhookSecret: 'wh' }, baseUrl: fakes.bosta!.apiUrl, settings: { webhookUrl: 'http://127.0.0.1:9/webhooks/couriers/bosta/1' } },
    ];
    const accounts: CourierAccount[] = [];
    for (const i of inputs) accounts.push(await saveCourierAccount(sql, box, tenantId, i));
    const resolved = await resolveCourierAccounts(sql, box, tenantId, { channelId, warehouseId });
    expect(resolved.map((a) => a.name).sort()).toEqual(['Bosta', 'Cargus', 'FAN', 'Innoship', 'Sameday']);
    for (const account of resolved) {
      const a = createCourierAdapter(account, { fetch: auditedFetch(sql, tenantId, account.courier), sleep: async () => {} });
      expect(a.courier).toBe(account.courier);
      const s = await a.createShipment(account.courier === 'bosta' ? egRequest() : roRequest());
      expect(s.awb).toBeTruthy();
      expect(s.label?.bytes.length).toBeGreaterThan(100);
      const [t] = await a.track([{ awb: s.awb, meta: s.meta }]);
      expect(t?.awb ?? s.awb).toBe(s.awb);
      expect((await auditRows(sql, tenantId, account.courier)).some((r) => r.operation === 'create-awb' && r.outcome === 'ok')).toBe(true);
    }
    // The account's default service fills requests that name none.
    const fan = resolved.find((a) => a.courier === 'fancourier')!;
    const s = await createCourierAdapter(fan, {}).createShipment(roRequest());
    expect((fakes.fancourier!.state.shipments.get(s.awb)!.body as { info: { service: string } }).info.service).toBe('Standard');
    // Bosta's factory adapter verifies webhooks with the stored secret.
    const bosta = createCourierAdapter(resolved.find((a) => a.courier === 'bosta')!, {});
    await expect(bosta.resolveWebhook!('nope', {})).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
