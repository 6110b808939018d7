/**
 * The `and` conditions of the filters that are given, for a statement built as text: each key is a
 * condition with `?` where its value goes, and a filter whose value is undefined is left out of the
 * statement altogether (a condition without `?` is added when its value is true). Written this way rather than `($2 is null or col = $2)`, which is fast only
 * while PostgreSQL plans the statement for its values: a prepared statement's generic plan cannot
 * use an index for such a filter, and a deep page of a million orders took seconds.
 *
 *   const params: unknown[] = [tenantId];
 *   const where = presentFilters(params, { 'o.status = ?': f.status, 'o.channel_id = ?::bigint': f.channelId });
 *   db.unsafe(`select … where o.tenant_id = $1${where} order by … limit $${params.push(limit)}`, params)
 */
export function presentFilters(params: unknown[], filters: Record<string, unknown>): string {
  let out = '';
  for (const [condition, value] of Object.entries(filters)) {
    if (value === undefined) continue;
    if (!condition.includes('?')) {
      if (value === true) out += ` and ${condition}`;
      continue;
    }
    out += ` and ${condition.replace(/\?/g, () => `$${params.push(value)}`)}`;
  }
  return out;
}

/**
 * A page size written into the statement, not passed as a parameter: under a generic plan a
 * `limit $n` is planned for an unknown share of the table (a tenth), which turned the first page
 * of a million orders into a sort of all of them. Only a checked integer gets here.
 */
export function literalLimit(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 100_000) throw new Error(`page size ${n} is not an integer between 0 and 100000`);
  return String(n);
}
