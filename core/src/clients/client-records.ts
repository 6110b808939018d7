import { literalLimit } from '../db/where.ts';
import { createHash } from 'node:crypto';
import type { Db, Tx } from '../db/connect.ts';
import { DomainError, type ErrorDetail } from '../shared/domain-error.ts';
import { isId } from '../shared/ids.ts';
import { type AddressInput, normaliseAddress, normaliseCui, normaliseIban, normaliseTradeRegisterNo, type StoredAddress, throwIfProblems } from './client-identity.ts';

/** A client as an operator creates or edits it (B2C person or B2B company). */
export interface ClientInput {
  kind?: 'person' | 'company';
  email?: string | null;
  phone?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  company?: string | null;
  /** The CUI/CIF, with RO in front for a VAT payer. */
  cui?: string | null;
  /** Overrides the prefix: true stores RO + the digits, false the bare digits. */
  vatPayer?: boolean;
  tradeRegisterNo?: string | null;
  iban?: string | null;
  billingAddress?: AddressInput | null;
  shippingAddress?: AddressInput | null;
}

export interface Client {
  id: string;
  kind: 'person' | 'company';
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  cui: string | null;
  vatPayer: boolean;
  tradeRegisterNo: string | null;
  iban: string | null;
  /** The address used last of each kind. */
  billingAddress: StoredAddress | null;
  shippingAddress: StoredAddress | null;
  createdAt: string;
  updatedAt: string;
}

export interface ClientMergeRecord {
  id: string;
  keptClientId: string;
  mergedClientId: string;
  mergedClient: Record<string, unknown>;
  orderIds: string[];
  invoiceIds: string[];
  addressesMoved: number;
  mergedBy: string | null;
  createdAt: string;
}

const COLUMNS = `c.id::text, c.kind, c.email, c.phone, c.first_name as "firstName", c.last_name as "lastName", c.company,
  c.vat_number as cui, c.trade_register_no as "tradeRegisterNo", c.iban, c.created_at as "createdAt", c.updated_at as "updatedAt"`;

type Row = Omit<Client, 'billingAddress' | 'shippingAddress' | 'vatPayer' | 'createdAt' | 'updatedAt'> & { createdAt: Date; updatedAt: Date };

const clean = (s: string | null | undefined): string | null => {
  const t = s?.trim();
  return t ? t : null;
};
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

const notFound = (id: string, path = 'id') => new DomainError('NOT_FOUND', `Client ${id} does not exist.`, [{ path, reason: 'unknown client' }]);

/** The column values of an input, checked; `base` is the stored client a patch applies to. */
function columnsOf(input: ClientInput, prefix: string, base: Row | null): { cols: Record<string, unknown>; billing: StoredAddress | null; shipping: StoredAddress | null } {
  const p = (f: string) => (prefix ? `${prefix}.${f}` : f);
  const problems: ErrorDetail[] = [];
  const cols: Record<string, unknown> = {};
  const set = (key: keyof ClientInput, column: string, value: unknown) => {
    if (input[key] !== undefined) cols[column] = value;
  };
  const email = clean(input.email)?.toLowerCase() ?? null;
  if (email && (!EMAIL.test(email) || email.length > 320)) problems.push({ path: p('email'), reason: 'not an e-mail address' });
  set('email', 'email', email);
  set('phone', 'phone', clean(input.phone));
  if (input.phone && !/^\+?[\d\s().-]{6,20}$/.test(input.phone.trim())) problems.push({ path: p('phone'), reason: 'not a phone number' });
  set('firstName', 'first_name', clean(input.firstName));
  set('lastName', 'last_name', clean(input.lastName));
  set('company', 'company', clean(input.company));
  if (input.kind) cols.kind = input.kind;
  if (clean(input.cui)) {
    const r = normaliseCui(input.cui!, input.vatPayer, p('cui'), input.billingAddress?.countryCode);
    if ('problem' in r) problems.push(r.problem);
    else cols.vat_number = r.value;
  } else if (input.cui !== undefined) cols.vat_number = null;
  else if (input.vatPayer !== undefined && base?.cui) cols.vat_number = input.vatPayer ? `RO${base.cui.replace(/^RO/, '')}` : base.cui.replace(/^RO/, '');
  if (clean(input.tradeRegisterNo)) {
    const r = normaliseTradeRegisterNo(input.tradeRegisterNo!, p('tradeRegisterNo'));
    if ('problem' in r) problems.push(r.problem);
    else cols.trade_register_no = r.value;
  } else if (input.tradeRegisterNo !== undefined) cols.trade_register_no = null;
  if (clean(input.iban)) {
    const r = normaliseIban(input.iban!, p('iban'));
    if ('problem' in r) problems.push(r.problem);
    else cols.iban = r.value;
  } else if (input.iban !== undefined) cols.iban = null;

  const kind = (cols.kind as string | undefined) ?? base?.kind ?? 'person';
  const after = (column: string, stored: unknown) => (column in cols ? cols[column] : stored);
  if (kind === 'company') {
    // A B2B client is invoiced as a legal entity: the name and the checked CUI are what ANAF reads.
    if (!after('company', base?.company)) problems.push({ path: p('company'), reason: 'required for a company' });
    if (!after('vat_number', base?.cui) && !problems.some((x) => x.path === p('cui'))) problems.push({ path: p('cui'), reason: 'required for a company' });
  } else if (!after('first_name', base?.firstName) && !after('last_name', base?.lastName) && !after('email', base?.email) && !after('company', base?.company)) {
    problems.push({ path: p('lastName'), reason: 'give a name or an e-mail' });
  }
  const billing = input.billingAddress ? normaliseAddress(input.billingAddress, p('billingAddress'), problems) : null;
  const shipping = input.shippingAddress ? normaliseAddress(input.shippingAddress, p('shippingAddress'), problems) : null;
  throwIfProblems(problems);
  return { cols, billing, shipping };
}

async function emailTaken(tx: Tx, tenantId: string, email: string, path: string): Promise<never> {
  const [other] = await tx<{ id: string }[]>`select id::text from clients where tenant_id = ${tenantId} and lower(email) = ${email}`;
  throw new DomainError('CONFLICT', `Client ${other?.id ?? '?'} already has the e-mail ${email}; pick that client or merge.`, [{ path, reason: `used by client ${other?.id ?? '?'}` }]);
}

/** Creates a client; an e-mail another client has is a 409 naming that client. `prefix` names nested fields (`client.cui`). */
export async function createClient(tx: Tx, tenantId: string, input: ClientInput, prefix = ''): Promise<Client> {
  const { cols, billing, shipping } = columnsOf({ kind: 'person', ...input }, prefix, null);
  const [row] = await tx<{ id: string }[]>`
    insert into clients ${tx({ tenant_id: tenantId, ...cols })}
    on conflict (tenant_id, lower(email)) where email is not null do nothing
    returning id::text`;
  if (!row) return emailTaken(tx, tenantId, cols.email as string, prefix ? `${prefix}.email` : 'email');
  if (billing) await rememberClientAddress(tx, tenantId, row.id, 'billing', billing);
  if (shipping) await rememberClientAddress(tx, tenantId, row.id, 'shipping', shipping);
  return (await getClient(tx, tenantId, row.id))!;
}

/** Writes only the given fields; the client's row is locked for the check of the whole. */
export async function updateClient(tx: Tx, tenantId: string, clientId: string, patch: ClientInput): Promise<Client> {
  const base = await lockClient(tx, tenantId, clientId);
  const { cols, billing, shipping } = columnsOf(patch, '', base);
  if (cols.email && cols.email !== base.email) {
    const [clash] = await tx`select 1 from clients where tenant_id = ${tenantId} and lower(email) = ${cols.email as string} and id <> ${clientId}`;
    if (clash) await emailTaken(tx, tenantId, cols.email as string, 'email');
  }
  if (Object.keys(cols).length > 0) await tx`update clients set ${tx(cols)}, updated_at = now() where tenant_id = ${tenantId} and id = ${clientId}`;
  if (billing) await rememberClientAddress(tx, tenantId, clientId, 'billing', billing);
  if (shipping) await rememberClientAddress(tx, tenantId, clientId, 'shipping', shipping);
  return (await getClient(tx, tenantId, clientId))!;
}

async function lockClient(tx: Tx, tenantId: string, clientId: string, path = 'id'): Promise<Row> {
  if (!isId(clientId)) throw notFound(clientId, path);
  const [row] = await tx.unsafe(`select ${COLUMNS} from clients c where c.tenant_id = $1 and c.id = $2 and c.erased_at is null for update`, [tenantId, clientId]);
  if (!row) throw notFound(clientId, path);
  return row as unknown as Row;
}

function present(r: Row, addresses: Array<{ kind: string; address: StoredAddress }>): Client {
  return {
    ...r,
    kind: r.kind,
    vatPayer: !!r.cui?.startsWith('RO'),
    billingAddress: addresses.find((a) => a.kind === 'billing')?.address ?? null,
    shippingAddress: addresses.find((a) => a.kind === 'shipping')?.address ?? null,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export async function getClient(db: Db, tenantId: string, clientId: string): Promise<Client | null> {
  if (!isId(clientId)) return null;
  const [row] = await db.unsafe(`select ${COLUMNS} from clients c where c.tenant_id = $1 and c.id = $2 and c.erased_at is null`, [tenantId, clientId]);
  if (!row) return null;
  const addresses = await db<{ kind: string; address: StoredAddress }[]>`
    select distinct on (kind) kind, address from client_addresses
    where tenant_id = ${tenantId} and client_id = ${clientId} order by kind, last_used_at desc, client_addresses.id desc`;
  return present(row as unknown as Row, addresses);
}

export async function requireClient(db: Db, tenantId: string, clientId: string, path = 'id'): Promise<Client> {
  const c = await getClient(db, tenantId, clientId);
  if (!c) throw notFound(clientId, path);
  return c;
}

/** Name, company, e-mail, phone or CUI containing the text; newest first. Without text: the newest clients. */
export async function searchClients(db: Db, tenantId: string, q: string, limit = 50): Promise<Client[]> {
  const text = q.trim();
  const like = `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  const digits = text.replace(/\D/g, '');
  // No search text: the most recently active clients, straight from their index (no filter to plan).
  const rows = text
    ? await db.unsafe(
        `select ${COLUMNS} from clients c
         where c.tenant_id = $1 and c.erased_at is null
           and (concat_ws(' ', c.first_name, c.last_name) ilike $2 or concat_ws(' ', c.last_name, c.first_name) ilike $2
                or c.company ilike $2 or c.email ilike $2 or c.vat_number ilike $2
                or (length($3) >= 4 and (regexp_replace(coalesce(c.phone, ''), '\\D', '', 'g') like '%' || $3 || '%'
                                         or regexp_replace(coalesce(c.vat_number, ''), '\\D', '', 'g') = $3)))
         order by c.updated_at desc, c.id desc limit ${literalLimit(limit)}`,
        [tenantId, like, digits],
      )
    : await db.unsafe(`select ${COLUMNS} from clients c where c.tenant_id = $1 and c.erased_at is null order by c.updated_at desc, c.id desc limit ${literalLimit(limit)}`, [tenantId]);
  if (rows.length === 0) return [];
  const ids = rows.map((r) => (r as unknown as Row).id);
  const addresses = await db<{ clientId: string; kind: string; address: StoredAddress }[]>`
    select distinct on (client_id, kind) client_id::text as "clientId", kind, address from client_addresses
    where tenant_id = ${tenantId} and client_id = any(${ids}::bigint[]) order by client_id, kind, last_used_at desc, client_addresses.id desc`;
  return rows.map((r) => present(r as unknown as Row, addresses.filter((a) => a.clientId === (r as unknown as Row).id)));
}

/** Clients that are one mailbox under several spellings (case, +tag, Gmail's dots), oldest client first in each group. */
export async function findDuplicateClients(db: Db, tenantId: string): Promise<Array<{ emailKey: string; clients: Client[] }>> {
  const groups = await db<{ emailKey: string; ids: string[] }[]>`
    select email_key as "emailKey", array_agg(id::text order by clients.id) as ids from clients
    where tenant_id = ${tenantId} and email_key is not null and erased_at is null
    group by email_key having count(*) > 1 order by min(id) limit 200`;
  const out: Array<{ emailKey: string; clients: Client[] }> = [];
  for (const g of groups) out.push({ emailKey: g.emailKey, clients: (await Promise.all(g.ids.map((id) => getClient(db, tenantId, id)))).filter((c): c is Client => !!c) });
  return out;
}

/** A client's address remembered (or marked used again): the newest of each kind is the one offered next. */
export async function rememberClientAddress(tx: Tx, tenantId: string, clientId: string, kind: 'billing' | 'shipping', a: StoredAddress): Promise<void> {
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([a.address1, a.address2, a.city, a.postcode, a.countryCode, a.firstName, a.lastName, a.company].map((x) => x?.trim().toLowerCase() ?? '')))
    .digest('hex')
    .slice(0, 32);
  await tx`insert into client_addresses (tenant_id, client_id, kind, address, fingerprint)
    values (${tenantId}, ${clientId}, ${kind}, ${tx.json(a as never)}, ${fingerprint})
    on conflict (tenant_id, client_id, kind, fingerprint) do update set address = excluded.address, last_used_at = now()`;
}

/** Locks both clients of a merge in id order (two merges of the same pair queue instead of deadlocking). */
export async function lockClientsForMerge(tx: Tx, tenantId: string, keepId: string, mergeId: string): Promise<void> {
  if (keepId === mergeId) throw new DomainError('VALIDATION', `Client ${keepId} cannot be merged into itself.`, [{ path: 'mergeClientId', reason: 'same client as the kept one' }]);
  const [first, second] = BigInt(keepId) < BigInt(mergeId) ? [keepId, mergeId] : [mergeId, keepId];
  for (const id of [first!, second!]) await lockClient(tx, tenantId, id, id === keepId ? 'id' : 'mergeClientId');
}

/**
 * The clients side of a merge, after the flow moved the orders and invoices: the kept client takes
 * what it lacks from the merged one (never its e-mail: one mailbox each), the merged client's
 * addresses and store customer ids move over, the merge is recorded with the merged client as it
 * was, and the merged row goes.
 */
export async function foldClientInto(
  tx: Tx,
  tenantId: string,
  keepId: string,
  mergeId: string,
  moved: { orderIds: string[]; invoiceIds: string[]; mergedBy: string | null },
): Promise<ClientMergeRecord> {
  const merged = (await getClient(tx, tenantId, mergeId))!;
  await tx`update clients k set
      phone = coalesce(k.phone, m.phone), first_name = coalesce(k.first_name, m.first_name), last_name = coalesce(k.last_name, m.last_name),
      company = coalesce(k.company, m.company), vat_number = coalesce(k.vat_number, m.vat_number),
      trade_register_no = coalesce(k.trade_register_no, m.trade_register_no), iban = coalesce(k.iban, m.iban),
      kind = case when k.kind = 'company' or m.kind = 'company' then 'company' else 'person' end, updated_at = now()
    from clients m where k.tenant_id = ${tenantId} and k.id = ${keepId} and m.tenant_id = ${tenantId} and m.id = ${mergeId}`;
  const addresses = await tx`update client_addresses a set client_id = ${keepId}
    where a.tenant_id = ${tenantId} and a.client_id = ${mergeId}
      and not exists (select 1 from client_addresses k where k.tenant_id = a.tenant_id and k.client_id = ${keepId} and k.kind = a.kind and k.fingerprint = a.fingerprint)
    returning a.id`;
  await tx`update client_channel_ids set client_id = ${keepId} where tenant_id = ${tenantId} and client_id = ${mergeId}`;
  const [rec] = await tx<{ id: string; createdAt: Date }[]>`
    insert into client_merges (tenant_id, kept_client_id, merged_client_id, merged_client, order_ids, invoice_ids, addresses_moved, merged_by)
    values (${tenantId}, ${keepId}, ${mergeId}, ${tx.json(merged as never)}, ${moved.orderIds}::bigint[], ${moved.invoiceIds}::bigint[], ${addresses.length}, ${moved.mergedBy})
    returning id::text, created_at as "createdAt"`;
  await tx`delete from clients where tenant_id = ${tenantId} and id = ${mergeId}`;
  return {
    id: rec!.id,
    keptClientId: keepId,
    mergedClientId: mergeId,
    mergedClient: merged as unknown as Record<string, unknown>,
    orderIds: moved.orderIds,
    invoiceIds: moved.invoiceIds,
    addressesMoved: addresses.length,
    mergedBy: moved.mergedBy,
    createdAt: rec!.createdAt.toISOString(),
  };
}

/** The merges a client absorbed, newest first. */
export async function clientMerges(db: Db, tenantId: string, clientId: string): Promise<ClientMergeRecord[]> {
  if (!isId(clientId)) return [];
  const rows = await db<Array<Omit<ClientMergeRecord, 'createdAt'> & { createdAt: Date }>>`
    select id::text, kept_client_id::text as "keptClientId", merged_client_id::text as "mergedClientId", merged_client as "mergedClient",
      order_ids::text[] as "orderIds", invoice_ids::text[] as "invoiceIds", addresses_moved as "addressesMoved", merged_by as "mergedBy", created_at as "createdAt"
    from client_merges where tenant_id = ${tenantId} and kept_client_id = ${clientId} order by client_merges.id desc`;
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}
