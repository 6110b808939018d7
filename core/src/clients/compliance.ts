import type { Tx } from '../db/connect.ts';

/** The privacy side of clients (Shopify's mandatory compliance webhooks): find, export, erase, delete. */

/** Clients of a store customer: by e-mail, or by the store's customer id on this channel. */
export async function findCustomerClients(tx: Tx, tenantId: string, channelId: string, customer: { email: string; externalCustomerId: string }): Promise<string[]> {
  const rows = await tx<{ id: string }[]>`
    select c.id::text from clients c
    where c.tenant_id = ${tenantId}
      and (lower(c.email) = lower(${customer.email})
           or c.id in (select client_id from client_channel_ids where tenant_id = ${tenantId}
                       and channel_id = ${channelId} and external_customer_id = ${customer.externalCustomerId}))`;
  return rows.map((r) => r.id);
}

export async function exportClients(tx: Tx, tenantId: string, clientIds: string[]) {
  const [clients, addresses] = await Promise.all([
    tx`select id::text, email, first_name, last_name, phone, company, vat_number, created_at
      from clients where tenant_id = ${tenantId} and id = any(${clientIds}::bigint[])`,
    tx`select client_id::text, kind, address from client_addresses
      where tenant_id = ${tenantId} and client_id = any(${clientIds}::bigint[])`,
  ]);
  return { clients, addresses };
}

/** Erases the personal data of clients; the rows stay (orders refer to them) with `erased_at`. */
export async function eraseClients(tx: Tx, tenantId: string, clientIds: string[]): Promise<void> {
  await tx`delete from client_addresses where tenant_id = ${tenantId} and client_id = any(${clientIds}::bigint[])`;
  await tx`update clients set email = null, first_name = null, last_name = null, phone = null, company = null,
      vat_number = null, trade_register_no = null, erased_at = now()
    where tenant_id = ${tenantId} and id = any(${clientIds}::bigint[])`;
}

export async function deleteClients(tx: Tx, tenantId: string, clientIds: string[]): Promise<number> {
  if (clientIds.length === 0) return 0;
  const rows = await tx`delete from clients where tenant_id = ${tenantId} and id = any(${clientIds}::bigint[]) returning id`;
  return rows.length;
}

/** The store's customer ids recorded for a channel go with the shop's data. */
export async function forgetChannelCustomerIds(tx: Tx, tenantId: string, channelId: string): Promise<void> {
  await tx`delete from client_channel_ids where tenant_id = ${tenantId} and channel_id = ${channelId}`;
}
