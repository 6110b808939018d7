import type { Tx } from '../db/connect.ts';

/**
 * A client merge (flows/merge-clients.ts) points the merged client's invoices at the kept client.
 * Only the reference moves: an issued invoice's buyer block is a legal document and stays as issued.
 */
export async function reassignInvoicesClient(tx: Tx, tenantId: string, fromClientId: string, toClientId: string): Promise<string[]> {
  const rows = await tx<{ id: string }[]>`update invoices set client_id = ${toClientId}
    where tenant_id = ${tenantId} and client_id = ${fromClientId} returning id::text`;
  return rows.map((r) => r.id).sort((a, b) => Number(a) - Number(b));
}
