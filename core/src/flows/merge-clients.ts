import { type ClientMergeRecord, foldClientInto, lockClientsForMerge } from '../clients/index.ts';
import type { Tx } from '../db/connect.ts';
import { reassignInvoicesClient } from '../invoicing/index.ts';
import { reassignOrdersClient } from '../orders/index.ts';

/**
 * Merges a duplicate client into the one kept, in the caller's one transaction: both clients
 * locked, the duplicate's orders and invoices pointed at the kept client, then the clients area
 * folds the rest in and records the merge (with the duplicate as it was and what moved). No undo:
 * the record keeps what an operator would need to split them again by hand.
 */
export async function mergeClients(tx: Tx, tenantId: string, keepClientId: string, mergeClientId: string, mergedBy: string | null): Promise<ClientMergeRecord> {
  await lockClientsForMerge(tx, tenantId, keepClientId, mergeClientId);
  const orderIds = await reassignOrdersClient(tx, tenantId, mergeClientId, keepClientId);
  const invoiceIds = await reassignInvoicesClient(tx, tenantId, mergeClientId, keepClientId);
  return foldClientInto(tx, tenantId, keepClientId, mergeClientId, { orderIds, invoiceIds, mergedBy });
}
