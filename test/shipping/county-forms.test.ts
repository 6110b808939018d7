import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CourierAccount, createCourierAdapter } from '../../core/src/shipping/courier-accounts.ts';
import type { CourierCode } from '../../core/src/shipping/courier-adapter.ts';
import { startFakeCargus } from '../fakes/couriers/cargus/fake-cargus.ts';
import type { FakeCourierState } from '../fakes/couriers/fake-courier-base.ts';
import { startFakeFanCourier } from '../fakes/couriers/fancourier/fake-fancourier.ts';
import { startFakeInnoship } from '../fakes/couriers/innoship/fake-innoship.ts';
import { startFakeSameday } from '../fakes/couriers/sameday/fake-sameday.ts';
import { roRequest } from './courier-test-support.ts';

/**
 * Every county form a store sends reaches each Romanian courier as its nomenclature spells it: the
 * real adapters (built from an account, as the AWB step builds them) against the couriers' fakes,
 * which refuse a county or locality they do not know exactly as named.
 */
type RoCourier = Exclude<CourierCode, 'bosta'>;
// biome-ignore lint/suspicious/noExplicitAny: the fakes keep the raw request bodies
const SENT: Record<RoCourier, (body: any) => { county: unknown; locality: unknown; line: unknown }> = {
  cargus: (b) => ({ county: b.Recipient.CountyName, locality: b.Recipient.LocalityName, line: b.Recipient.AddressText }),
  innoship: (b) => ({ county: b.addressTo.countyName, locality: b.addressTo.localityName, line: b.addressTo.addressText }),
  fancourier: (b) => ({ county: b.recipient.address.county, locality: b.recipient.address.locality, line: b.recipient.address.street }),
  sameday: (f) => ({ county: f['awbRecipient[countyString]'], locality: f['awbRecipient[cityString]'], line: f['awbRecipient[address]'] }),
};

const fakes: Partial<Record<RoCourier, { state: FakeCourierState; close(): Promise<void>; account: CourierAccount }>> = {};
const base = { id: '1', tenantId: '1', name: 'test', channelId: null, warehouseId: null, defaultService: null, active: true };

beforeAll(async () => {
  const cargus = await startFakeCargus();
  fakes.cargus = { ...cargus, account: { ...base, courier: 'cargus', credentials: { subscriptionKey: cargus.subscriptionKey, username: 'cargus-user', password: 'cargus-pass' }, baseUrl: cargus.apiUrl, settings: { senderLocationId: 201165677 } } };
  const inno = await startFakeInnoship();
  fakes.innoship = { ...inno, account: { ...base, courier: 'innoship', credentials: { apiKey: inno.apiKey }, baseUrl: inno.url, settings: { clientLocationId: 'CLJ1' } } };
  const fan = await startFakeFanCourier();
  fakes.fancourier = { ...fan, account: { ...base, courier: 'fancourier', credentials: { username: 'fan-user', password: 'fan-pass' }, baseUrl: fan.url, settings: { clientId: fan.clientId } } };
  const sameday = await startFakeSameday();
  fakes.sameday = { ...sameday, account: { ...base, courier: 'sameday', credentials: { username: 'sameday-user', password: 'sameday-pass' }, baseUrl: sameday.url, settings: { pickupPointId: 1234 } } };
});
afterAll(async () => {
  await Promise.all(Object.values(fakes).map((f) => f.close()));
});

const FORMS: Array<[string, { county: string; locality: string }, { county: string; locality: string }]> = [
  ['the WooCommerce code', { county: 'CJ', locality: 'Cluj-Napoca' }, { county: 'Cluj', locality: 'Cluj-Napoca' }],
  ['the ISO code', { county: 'RO-CJ', locality: 'Cluj-Napoca' }, { county: 'Cluj', locality: 'Cluj-Napoca' }],
  ['"Județul …"', { county: 'Județul Cluj', locality: 'Cluj-Napoca' }, { county: 'Cluj', locality: 'Cluj-Napoca' }],
  ['the name with diacritics', { county: 'Bistrița-Năsăud', locality: 'Bistrița' }, { county: 'Bistrita-Nasaud', locality: 'Bistrita' }],
  ['the name without diacritics or hyphen', { county: 'Bistrita Nasaud', locality: 'Bistrita' }, { county: 'Bistrita-Nasaud', locality: 'Bistrita' }],
  ['the old cedilla letters', { county: 'Iaşi', locality: 'Târgu Frumos' }, { county: 'Iasi', locality: 'Targu Frumos' }],
  ['a Bucharest sector as the county', { county: 'Sector 3', locality: 'București' }, { county: 'Bucuresti', locality: 'Bucuresti' }],
  ['Bucharest by code with the sector as the city', { county: 'B', locality: 'Sector 3' }, { county: 'Bucuresti', locality: 'Bucuresti' }],
  ['Bucharest in English', { county: 'Bucharest', locality: 'Bucharest' }, { county: 'Bucuresti', locality: 'Bucuresti' }],
];

describe('courier address mapping: every county form a store sends', () => {
  for (const courier of ['cargus', 'innoship', 'fancourier', 'sameday'] as const) {
    it.each(FORMS)(`${courier} gets %s as its nomenclature names it, and makes the AWB`, async (_form, given, expected) => {
      const f = fakes[courier]!;
      const adapter = createCourierAdapter(f.account, { timeoutMs: 5000 });
      const req = roRequest({ address: { ...roRequest().address, ...given } });
      const created = await adapter.createShipment(req);
      const sent = SENT[courier](f.state.shipments.get(created.awb)!.body);
      expect({ county: sent.county, locality: sent.locality }).toEqual(expected);
      // A sector given as county or city is kept in the address line, where the courier reads it.
      if (/sector/i.test(`${given.county} ${given.locality}`) && courier !== 'fancourier') expect(String(sent.line)).toContain('Sector 3');
    });
  }

  it('a county no store form names is passed on, and the courier refuses it as a field of the address', async () => {
    const adapter = createCourierAdapter(fakes.cargus!.account, { timeoutMs: 5000 });
    await expect(adapter.createShipment(roRequest({ address: { ...roRequest().address, county: 'Atlantis' } }))).rejects.toMatchObject({ code: 'VALIDATION', details: [{ path: 'address.locality' }] });
  });
});
