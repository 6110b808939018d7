import type { Db } from '../../db/connect.ts';
import { isoOrNull, STALLS_PER_KIND, type Stall, type StallOptions } from '../stall.ts';

/** AWB impossible: packing lists still missing a parcel measure or the courier. */
export async function detectMissingMeasures(db: Db, tenantId: string, opts: StallOptions = {}): Promise<Stall[]> {
  const grace = opts.measuresGraceMinutes ?? 60;
  const rows = await db<{ id: string; order_id: string; created_at: Date; missing: string[] }[]>`
    select pl.id::text, pl.order_id::text, pl.created_at,
      array_remove(array[
        case when bool_or(pp.weight_kg is null) or count(pp.*) = 0 then 'weight' end,
        case when bool_or(pp.length_cm is null or pp.width_cm is null or pp.height_cm is null) or count(pp.*) = 0 then 'dimensions' end,
        case when pl.courier is null then 'courier' end], null) as missing
    from packing_lists pl left join packing_list_parcels pp on pp.tenant_id = pl.tenant_id and pp.packing_list_id = pl.id
    where pl.tenant_id = ${tenantId} and pl.status = 'ready_to_deliver' and pl.created_at < now() - make_interval(mins => ${grace})
    group by pl.id, pl.order_id, pl.created_at, pl.courier
    having bool_or(pp.weight_kg is null or pp.length_cm is null or pp.width_cm is null or pp.height_cm is null) or count(pp.*) = 0 or pl.courier is null
    order by pl.created_at, pl.id limit ${STALLS_PER_KIND}`;
  return rows.map((p) => ({
    kind: 'awb.missing_measures',
    subjectType: 'packing_list',
    subjectId: p.id,
    message: `Packing list ${p.id} (order ${p.order_id}) cannot get an AWB: ${p.missing.join(', ')} missing.`,
    why: 'weight and length, width, height of every parcel, and the courier, are required before an AWB',
    fix: 'Fill in the parcel measures and the courier on the pack screen.',
    target: { resource: 'packing_list', id: p.id },
    since: isoOrNull(p.created_at),
  }));
}
