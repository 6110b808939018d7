import { describe, expect, it } from 'vitest';
import { CARGUS_SERVICES } from './couriers/cargus/cargus-adapter.ts';
import { assertServiceOffered, COURIER_SERVICE_CATALOGUE, servicesOfAccount } from './courier-services.ts';

const account = (over: Partial<Parameters<typeof servicesOfAccount>[0]> = {}) => ({ id: '7', courier: 'sameday' as const, defaultService: null, settings: {}, ...over });

describe('what a courier account offers: one list for the pack screen and the AWB step', () => {
  it("is the courier's catalogue by default (the adapter's list), by the courier's own codes", () => {
    expect(servicesOfAccount(account({ courier: 'cargus' })).map((s) => s.code)).toEqual(['34', '35', '36', '38', '39']);
    expect(servicesOfAccount(account({ courier: 'fancourier' })).map((s) => s.code)).toContain('Cont Colector');
    expect(COURIER_SERVICE_CATALOGUE.cargus).toBe(CARGUS_SERVICES);
    expect(Object.keys(COURIER_SERVICE_CATALOGUE).sort()).toEqual(['bosta', 'cargus', 'fancourier', 'innoship', 'sameday']);
  });

  it("is the account's own list when it has one (Sameday's ids are per account), with its default service always in it", () => {
    const own = account({ settings: { services: [{ code: '7', name: '24H' }, { code: '15', name: 'Locker NextDay' }, 42] }, defaultService: '57' });
    expect(servicesOfAccount(own)).toEqual([
      { code: '57', name: '57' },
      { code: '7', name: '24H' },
      { code: '15', name: 'Locker NextDay' },
      { code: '42', name: '42' },
    ]);
  });

  it('refuses a service the account does not offer, naming the field and the ones it does', () => {
    expect(() => assertServiceOffered(account({ courier: 'cargus' }), '34')).not.toThrow();
    expect(() => assertServiceOffered(account({ courier: 'cargus' }), 'standard')).toThrow(
      expect.objectContaining({ code: 'VALIDATION', details: [{ path: 'service', reason: 'not offered by the cargus account; one of 34, 35, 36, 38, 39' }] }),
    );
  });
});
