import { createHash } from 'node:crypto';
import type { ChannelAddress, ChannelOrder } from '../channels/index.ts';
import type { Tx } from '../db/connect.ts';

export type ClientMatch = { clientId: string; created: boolean } | { clientId: null; reason: string };

const clean = (s: string | null | undefined): string | null => {
  const t = s?.trim();
  return t ? t : null;
};

/**
 * Finds the order's client within the tenant — by the store's customer id, then by e-mail — or
 * creates one. Concurrent intakes of the same new customer converge on one row through the unique
 * e-mail index (insert … on conflict). A customer with neither e-mail nor name cannot be created;
 * the reason is returned so the order can be held with it.
 */
/** The client the order's store customer id is tied to on the channel; null when none is (or the order has no customer id). */
export async function findClientByCustomerId(tx: Tx, tenantId: string, channelId: string, order: ChannelOrder): Promise<string | null> {
  if (!order.customer.externalId) return null;
  const [hit] = await tx<{ client_id: string }[]>`
    select client_id::text from client_channel_ids
    where tenant_id = ${tenantId} and channel_id = ${channelId} and external_customer_id = ${order.customer.externalId}`;
  return hit?.client_id ?? null;
}

/**
 * `byCustomerId`: the answer of `findClientByCustomerId` when the caller asked already (sent with
 * its own statements, one round trip fewer); asked here otherwise.
 */
export async function matchOrCreateClient(tx: Tx, tenantId: string, channelId: string, order: ChannelOrder, byCustomerId?: string | null): Promise<ClientMatch> {
  const c = order.customer;
  const billing = order.billingAddress;
  const email = clean(c.email ?? order.email ?? billing?.email)?.toLowerCase() ?? null;
  const firstName = clean(c.firstName ?? billing?.firstName);
  const lastName = clean(c.lastName ?? billing?.lastName);
  const company = clean(c.company ?? billing?.company);
  const phone = clean(c.phone ?? billing?.phone);
  const vat = clean(c.vatNumber);

  let clientId: string | null = null;
  let created = false;
  let knownById = false;
  if (c.externalId) {
    clientId = byCustomerId !== undefined ? byCustomerId : await findClientByCustomerId(tx, tenantId, channelId, order);
    knownById = clientId !== null;
  }
  // The store's customer id (only when it did not find the client) and the addresses are written in
  // the statement that yields the client: a new client is one statement with everything it needs.
  const linkId = c.externalId && !knownById ? c.externalId : null;
  const addresses = (
    [
      ['billing', order.billingAddress],
      ['shipping', order.shippingAddress],
    ] as const
  ).flatMap(([kind, a]) => (a ? [{ kind, address: a, fingerprint: addressFingerprint(a) }] : []));
  const known = (id: string) => tx`select ${id}::bigint as id`;
  const remembering = async (client: ReturnType<typeof known>): Promise<string | null> => {
    const [row] = await tx<{ id: string }[]>`with c as (${client}),
        link as (
          insert into client_channel_ids (tenant_id, channel_id, external_customer_id, client_id)
          select ${tenantId}::bigint, ${channelId}::bigint, ${linkId}::text, c.id from c where ${linkId}::text is not null
          on conflict do nothing),
        addr as (
          insert into client_addresses (tenant_id, client_id, kind, address, fingerprint)
          select ${tenantId}::bigint, c.id, a.kind, a.address, a.fingerprint
          from c, jsonb_to_recordset(${tx.json(addresses as never)}) as a(kind text, address jsonb, fingerprint text)
          on conflict (tenant_id, client_id, kind, fingerprint) do nothing)
      select id::text from c`;
    return row?.id ?? null;
  };

  if (clientId) {
    if (linkId || addresses.length > 0) await remembering(known(clientId));
    return { clientId, created };
  }
  if (email) {
    // Insert-or-find without updating an existing row: an upsert would lock the client row and
    // serialise every concurrent order of the same customer behind it.
    clientId = await remembering(tx`
      insert into clients (tenant_id, email, first_name, last_name, phone, company, vat_number, kind)
      values (${tenantId}, ${email}, ${firstName}, ${lastName}, ${phone}, ${company}, ${vat}, ${vat ? 'company' : 'person'})
      on conflict (tenant_id, lower(email)) where email is not null do nothing
      returning id`);
    if (clientId) return { clientId, created: true };
    const [found] = await tx<{ id: string }[]>`select id::text from clients where tenant_id = ${tenantId} and lower(email) = ${email}`;
    clientId = found!.id;
    if (linkId || addresses.length > 0) await remembering(known(clientId));
    return { clientId, created };
  }
  if (!firstName && !lastName && !company) {
    return { clientId: null, reason: NO_CLIENT_REASON };
  }
  clientId = (await remembering(tx`
    insert into clients (tenant_id, first_name, last_name, phone, company, vat_number, kind)
    values (${tenantId}, ${firstName}, ${lastName}, ${phone}, ${company}, ${vat}, ${vat ? 'company' : 'person'})
    returning id`))!;
  created = true;
  return { clientId, created };
}

/** The no-client reason of `matchOrCreateClient`, as the order's hold names it. */
export const NO_CLIENT_REASON = 'the customer has no e-mail and no name, so no client could be matched or created';

/**
 * What the SQL function `clients_match_or_create` (migration 033) needs to do `matchOrCreateClient`
 * in the database: the same fields, cleaned the same way, and the address fingerprints.
 */
export function clientIntakeFields(order: ChannelOrder) {
  const c = order.customer;
  const billing = order.billingAddress;
  const vat = clean(c.vatNumber);
  return {
    externalId: c.externalId || null,
    email: clean(c.email ?? order.email ?? billing?.email)?.toLowerCase() ?? null,
    firstName: clean(c.firstName ?? billing?.firstName),
    lastName: clean(c.lastName ?? billing?.lastName),
    company: clean(c.company ?? billing?.company),
    phone: clean(c.phone ?? billing?.phone),
    vat,
    kind: vat ? 'company' : 'person',
    addresses: (
      [
        ['billing', order.billingAddress],
        ['shipping', order.shippingAddress],
      ] as const
    ).flatMap(([kind, a]) => (a ? [{ kind, address: a, fingerprint: addressFingerprint(a) }] : [])),
    noClientReason: NO_CLIENT_REASON,
  };
}

function addressFingerprint(a: ChannelAddress): string {
  return createHash('sha256')
    .update(JSON.stringify([a.address1, a.address2, a.city, a.postcode, a.countryCode, a.firstName, a.lastName, a.company].map((x) => x?.trim().toLowerCase() ?? '')))
    .digest('hex')
    .slice(0, 32);
}
