import { toUnits } from '../shared/money.ts';
import type { CourierAdapter, CourierCode, Quote, ShipmentRequest } from './courier-adapter.ts';

export interface RateShoppingResult {
  /** Cheapest first (same-currency comparison; other currencies after, each group by amount). */
  cheapest: Quote[];
  /** Fewest days first; quotes without an estimate last, cheapest among equals. */
  fastest: Quote[];
  /** Couriers that could not quote, with why; never hidden. */
  failures: { courier: CourierCode; code: string; message: string }[];
}

/** Quotes every configured courier that can quote, in parallel; one failing courier never hides the others. */
export async function quoteAll(adapters: CourierAdapter[], parcel: ShipmentRequest['parcels'][number] | ShipmentRequest['parcels'], address: ShipmentRequest['address'], base: Partial<ShipmentRequest> = {}): Promise<RateShoppingResult> {
  const req: ShipmentRequest = { reference: base.reference ?? 'quote', ...base, parcels: Array.isArray(parcel) ? parcel : [parcel], address };
  const quoting = adapters.filter((a) => a.capabilities.quote);
  const settled = await Promise.allSettled(quoting.map((a) => a.quote(req)));
  const quotes: Quote[] = [];
  const failures: RateShoppingResult['failures'] = [];
  settled.forEach((r, i) => {
    if (r.status === 'fulfilled') quotes.push(...r.value);
    else failures.push({ courier: quoting[i]!.courier, code: (r.reason as { code?: string }).code ?? 'UPSTREAM', message: (r.reason as Error).message });
  });
  const currency = quotes[0]?.price.currency;
  const byPrice = (a: Quote, b: Quote) => {
    if (a.price.currency !== b.price.currency) return a.price.currency === currency ? -1 : b.price.currency === currency ? 1 : a.price.currency.localeCompare(b.price.currency);
    const d = toUnits(a.price.amount) - toUnits(b.price.amount);
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  };
  const cheapest = [...quotes].sort(byPrice);
  const fastest = [...quotes].sort((a, b) => (a.estimatedDays ?? Number.POSITIVE_INFINITY) - (b.estimatedDays ?? Number.POSITIVE_INFINITY) || byPrice(a, b));
  return { cheapest, fastest, failures };
}
