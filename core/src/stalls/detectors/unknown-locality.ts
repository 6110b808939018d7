import type { Db } from '../../db/connect.ts';
import { isoOrNull, orderRef, STALLS_PER_KIND, type Stall } from '../stall.ts';

/** The packing list paths a courier's address refusal lands on (generate-awb's packingListPath). */
const ADDRESS_PATHS = ['deliveryAddress.city', 'deliveryAddress.province', 'deliveryAddress.postcode'];

/**
 * AWB refused for an unknown locality: a packing list still waiting whose last AWB attempt the
 * courier refused for the city, county or postcode of the delivery address. Gone once the address
 * is corrected (updatePackingList clears the refusal) or an AWB is made.
 */
export async function detectUnknownLocality(db: Db, tenantId: string): Promise<Stall[]> {
  const rows = await db<{ id: string; order_id: string; external_number: string | null; refusal: { courier: string; details: Array<{ path: string; reason: string }>; at: string }; address: Record<string, unknown> | null }[]>`
    select pl.id::text, pl.order_id::text, o.external_number, pl.awb_refusal as refusal, pl.delivery_address as address
    from packing_lists pl join orders o on o.tenant_id = pl.tenant_id and o.id = pl.order_id
    where pl.tenant_id = ${tenantId} and pl.status = 'ready_to_deliver' and pl.awb_refusal is not null
      and exists (select 1 from jsonb_array_elements(pl.awb_refusal->'details') d where d->>'path' = any(${ADDRESS_PATHS}))
    order by pl.id limit ${STALLS_PER_KIND}`;
  return rows.map((r) => {
    const reasons = r.refusal.details.filter((d) => ADDRESS_PATHS.includes(d.path)).map((d) => d.reason);
    const city = typeof r.address?.city === 'string' ? r.address.city : '';
    const county = typeof r.address?.province === 'string' ? r.address.province : '';
    return {
      kind: 'awb.unknown_locality',
      subjectType: 'packing_list',
      subjectId: r.id,
      message: `${orderRef(r.order_id, r.external_number)}: ${r.refusal.courier} refused the AWB of packing list ${r.id} for the delivery address (${[city, county].filter(Boolean).join(', ') || 'no city'}): ${reasons.join('; ')}`,
      why: 'the courier does not know the locality (or its county) of the delivery address',
      fix: `Correct the city and county of packing list ${r.id}'s delivery address as the courier's locality list spells them (a village under its commune, Bucharest as "Bucuresti" with the sector in the address), save it on the pack screen, then generate the AWB again.`,
      target: { resource: 'packing_list', id: r.id },
      since: isoOrNull(r.refusal.at),
    };
  });
}
