import { COURIER_LABELS, type CourierCode } from '../contracts/courier.ts';
import { DomainError } from '../shared/domain-error.ts';
import { BOSTA_SERVICES } from './couriers/bosta/bosta-adapter.ts';
import { CARGUS_SERVICES } from './couriers/cargus/cargus-adapter.ts';
import { FAN_SERVICES } from './couriers/fancourier/fancourier-adapter.ts';
import { INNOSHIP_SERVICES } from './couriers/innoship/innoship-adapter.ts';
import type { CourierAccountSummary } from './courier-accounts.ts';

/** A service as the courier's API names it (its own code) and as people read it. */
export interface OfferedService {
  code: string;
  name: string;
}

/**
 * The services each courier's API takes in its create call, by the courier's own code: the lists the
 * adapters publish (shared/contracts/couriers.md: Innoship ServiceId §1.2, Cargus ServiceId §4.2, FAN
 * `service` names, Bosta order type). Sameday's ids are per account (`GET /api/client/services`, the
 * adapter's services()), so an account lists its own in `settings.services`; 7 is the next-day
 * service of the samples.
 */
export const COURIER_SERVICE_CATALOGUE: Record<CourierCode, readonly OfferedService[]> = {
  innoship: INNOSHIP_SERVICES,
  cargus: CARGUS_SERVICES,
  fancourier: FAN_SERVICES,
  sameday: [{ code: '7', name: '24H' }],
  bosta: BOSTA_SERVICES,
};

type AccountServices = Pick<CourierAccountSummary, 'courier' | 'defaultService' | 'settings'>;

/**
 * What an account offers: its own `settings.services` ([{code, name}] or codes) when set, else the
 * courier's catalogue; its default service is always among them. The pack screen lists exactly these
 * and the AWB step accepts exactly these, so the two can never disagree.
 */
export function servicesOfAccount(account: AccountServices): OfferedService[] {
  const own = account.settings.services;
  const catalogue = COURIER_SERVICE_CATALOGUE[account.courier] ?? [];
  const listed: OfferedService[] = Array.isArray(own)
    ? own.flatMap((s): OfferedService[] => {
        if (typeof s === 'string' || typeof s === 'number') {
          const code = String(s);
          return [{ code, name: catalogue.find((c) => c.code === code)?.name ?? code }];
        }
        if (s && typeof s === 'object' && 'code' in s && s.code != null) {
          const code = String(s.code);
          return [{ code, name: 'name' in s && typeof s.name === 'string' && s.name ? s.name : code }];
        }
        return [];
      })
    : [...catalogue];
  const d = account.defaultService;
  if (d && !listed.some((s) => s.code === d)) listed.unshift({ code: d, name: catalogue.find((c) => c.code === d)?.name ?? d });
  return listed;
}

/** Refuses a service the account does not offer, naming the ones it does. */
export function assertServiceOffered(account: AccountServices & { id: string }, service: string): void {
  const offered = servicesOfAccount(account);
  if (offered.some((s) => s.code === service)) return;
  const list = offered.map((s) => `${s.code} (${s.name})`).join(', ');
  throw new DomainError('VALIDATION', `${COURIER_LABELS[account.courier]} account ${account.id} offers no service ${service}; choose one of ${list}.`, [
    { path: 'service', reason: `not offered by the ${account.courier} account; one of ${offered.map((s) => s.code).join(', ')}` },
  ]);
}

/** One courier the pack screen may offer: the account the AWB step would use, with its services. */
export interface CourierChoice {
  courier: CourierCode;
  label: string;
  accountId: string;
  accountName: string;
  services: OfferedService[];
}

export const courierChoiceOf = (a: AccountServices & { id: string; name: string }): CourierChoice => ({
  courier: a.courier,
  label: COURIER_LABELS[a.courier],
  accountId: a.id,
  accountName: a.name,
  services: servicesOfAccount(a),
});
