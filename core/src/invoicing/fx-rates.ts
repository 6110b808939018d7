import type { Db } from '../db/connect.ts';
import { DomainError } from '../shared/domain-error.ts';
import { type BnrFetchOptions, fetchBnrDays } from './bnr-rates.ts';
import { localDate } from './ro-date.ts';

/** RON per unit of a currency for a day (invoicing_fx_rates), from BNR or typed in by the merchant. */
export interface FxRate {
  currency: string;
  validOn: string;
  ronPerUnit: string;
  source: 'bnr' | 'manual';
  updatedAt: string;
}

type Row = { currency: string; valid_on: string; ron_per_unit: string; source: 'bnr' | 'manual'; updated_at: Date };
const toRate = (r: Row): FxRate => ({ currency: r.currency, validOn: r.valid_on, ronPerUnit: r.ron_per_unit, source: r.source, updatedAt: r.updated_at.toISOString() });
const SELECT = `select currency, valid_on::text as valid_on, ron_per_unit::text as ron_per_unit, source, updated_at from invoicing_fx_rates`;

/** Newest day first, then by currency; the cursor is the last row's `validOn:currency`. */
export async function listFxRates(
  db: Db,
  tenantId: string,
  f: { currency?: string; from?: string; to?: string; limit?: number; cursor?: string } = {},
): Promise<{ rates: FxRate[]; nextCursor: string | null }> {
  const limit = f.limit ?? 100;
  let after: [string, string] | [null, null] = [null, null];
  if (f.cursor !== undefined) {
    const m = /^(\d{4}-\d{2}-\d{2}):([A-Z]{3})$/.exec(f.cursor);
    if (!m) throw new DomainError('VALIDATION', 'The cursor is not one this API returned.', [{ path: 'cursor', reason: 'malformed cursor' }]);
    after = [m[1]!, m[2]!];
  }
  const rows = await db.unsafe(
    `${SELECT}
     where tenant_id = $1 and ($2::text is null or currency = $2) and ($3::date is null or valid_on >= $3) and ($4::date is null or valid_on <= $4)
       and ($5::date is null or valid_on < $5 or (valid_on = $5 and currency > $6))
     order by valid_on desc, currency limit $7`,
    [tenantId, f.currency ?? null, f.from ?? null, f.to ?? null, after[0], after[1], limit + 1] as never[],
  );
  const page = (rows as unknown as Row[]).slice(0, limit).map(toRate);
  const last = page[page.length - 1];
  return { rates: page, nextCursor: rows.length > limit && last ? `${last.validOn}:${last.currency}` : null };
}

const RATE = /^(?=.*[1-9])\d{1,6}(\.\d{1,6})?$/;

/**
 * The merchant's own rate for a day (source 'manual'): it replaces whatever was there, and BNR
 * imports leave it alone from then on (see importBnrRates).
 */
export async function saveManualFxRate(db: Db, tenantId: string, r: { currency: string; validOn: string; ronPerUnit: string }): Promise<FxRate> {
  if (!/^[A-Z]{3}$/.test(r.currency) || r.currency === 'RON') {
    throw new DomainError('VALIDATION', `${r.currency} is not a foreign currency code (ISO 4217, not RON).`, [{ path: 'currency', reason: 'ISO 4217 code other than RON' }]);
  }
  if (!RATE.test(r.ronPerUnit)) throw new DomainError('VALIDATION', `${r.ronPerUnit} is not a positive rate with at most 6 decimals.`, [{ path: 'ronPerUnit', reason: 'positive decimal, at most 6 decimals' }]);
  const [row] = await db.unsafe(
    `insert into invoicing_fx_rates (tenant_id, currency, valid_on, ron_per_unit, source, updated_at) values ($1, $2, $3, $4, 'manual', now())
     on conflict (tenant_id, currency, valid_on) do update set ron_per_unit = excluded.ron_per_unit, source = 'manual', updated_at = now()
     returning currency, valid_on::text as valid_on, ron_per_unit::text as ron_per_unit, source, updated_at`,
    [tenantId, r.currency, r.validOn, r.ronPerUnit],
  );
  return toRate(row as unknown as Row);
}

export interface FxImportReport {
  /** The BNR day imported (a weekend or holiday asked for takes the last banking day before it). */
  validOn: string;
  tenants: number;
  currencies: number;
  /** Rows inserted or changed. */
  written: number;
  /** Rows left as they were: the same BNR rate already there, or a manual rate of that day. */
  unchanged: number;
}

/**
 * Imports one BNR day for the given tenants: the latest day (the daily file) when `date` is null,
 * else the day asked for from that year's archive. Idempotent: a re-import writes nothing. BNR's
 * whole table is stored (a few dozen rows a day), so a currency's first order finds its rate.
 */
export async function importBnrRates(db: Db, tenantIds: string[], o: BnrFetchOptions & { date?: string | null; now?: Date } = {}): Promise<FxImportReport> {
  const date = o.date ?? null;
  const today = localDate(o.now ?? new Date());
  if (date !== null && !(date <= today)) {
    throw new DomainError('VALIDATION', `${date} is after today (${today}) in Romania; BNR has not published its rates yet.`, [{ path: 'date', reason: 'after today' }]);
  }
  const days = await fetchBnrDays(date, o);
  const day = date ? days.filter((d) => d.date <= date).at(-1) : days.at(-1);
  if (!day) throw new DomainError('NOT_FOUND', `BNR published no rates on or before ${date} in ${date?.slice(0, 4)}.`, [{ path: 'date', reason: 'no BNR rates on or before it that year' }]);
  const rates = day.rates.filter((r) => r.currency !== 'RON');
  if (tenantIds.length === 0 || rates.length === 0) return { validOn: day.date, tenants: tenantIds.length, currencies: rates.length, written: 0, unchanged: 0 };
  // A manual rate of the same day is the merchant's decision (a bank's rate, a contract's): BNR never overwrites it.
  const written = await db.unsafe(
    `insert into invoicing_fx_rates (tenant_id, currency, valid_on, ron_per_unit, source)
     select t.id, r.currency, $2::date, r.rate::numeric, 'bnr'
     from unnest($1::bigint[]) as t(id) cross join unnest($3::text[], $4::text[]) as r(currency, rate)
     on conflict (tenant_id, currency, valid_on) do update set ron_per_unit = excluded.ron_per_unit, updated_at = now()
       where invoicing_fx_rates.source = 'bnr' and invoicing_fx_rates.ron_per_unit <> excluded.ron_per_unit
     returning 1`,
    [tenantIds, day.date, rates.map((r) => r.currency), rates.map((r) => r.ronPerUnit)] as never[],
  );
  const total = tenantIds.length * rates.length;
  return { validOn: day.date, tenants: tenantIds.length, currencies: rates.length, written: written.length, unchanged: total - written.length };
}

/** The tenants BNR rates are imported for: those with an invoicing profile, since no other can issue an invoice. */
export async function invoicingTenants(db: Db): Promise<string[]> {
  const rows = await db<{ id: string }[]>`select tenant_id::text as id from invoicing_profiles order by tenant_id`;
  return rows.map((r) => r.id);
}

/** The worker's daily job: one fetch from BNR, stored for every invoicing tenant. */
export async function importBnrRatesForAllTenants(db: Db, o: BnrFetchOptions = {}): Promise<FxImportReport> {
  return importBnrRates(db, await invoicingTenants(db), o);
}
