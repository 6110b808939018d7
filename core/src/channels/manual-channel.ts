import type { Tx } from '../db/connect.ts';
import { DomainError } from '../shared/domain-error.ts';
import { type Channel, getChannel } from './channel-repo.ts';

/**
 * The tenant's channel for orders typed in by an operator (phone, e-mail, B2B), created the first
 * time one is needed. It has no store, so nothing is written back; its settings (warehouse, price
 * list, invoice series, create_invoice) are edited like any channel's. An operator confirms its
 * orders (auto_confirm off), as the order was just reviewed by a person.
 */
export async function ensureManualChannel(tx: Tx, tenantId: string, defaultWarehouseId: string | null): Promise<Channel> {
  await tx`insert into channels (tenant_id, kind, name, auto_confirm, default_warehouse_id)
    values (${tenantId}, 'manual', 'Manual orders', false, ${defaultWarehouseId})
    on conflict (tenant_id) where kind = 'manual' do nothing`;
  const [row] = await tx<{ id: string }[]>`select id::text from channels where tenant_id = ${tenantId} and kind = 'manual'`;
  return getChannel(tx, tenantId, row!.id);
}

/** The channel a manual order names: it must be the tenant's manual channel (a store channel's orders come from the store). */
export async function manualChannel(tx: Tx, tenantId: string, channelId: string): Promise<Channel> {
  const channel = await getChannel(tx, tenantId, channelId);
  if (channel.kind !== 'manual') {
    throw new DomainError('VALIDATION', `Channel ${channelId} is a ${channel.kind} store; its orders come from the store. Leave channelId out for the manual channel.`, [
      { path: 'channelId', reason: `a ${channel.kind} channel takes no manual orders` },
    ]);
  }
  return channel;
}
