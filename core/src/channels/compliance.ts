import type { Tx } from '../db/connect.ts';

/** What a compliance webhook asked and what was done, kept as the merchant's record (no personal data in `result` for redactions). */
export async function recordComplianceRequest(tx: Tx, tenantId: string, channelId: string, topic: string, request: unknown, result: unknown): Promise<string> {
  const [row] = await tx<{ id: string }[]>`insert into compliance_requests (tenant_id, channel_id, topic, request, result)
    values (${tenantId}, ${channelId}, ${topic}, ${tx.json(request as never)}, ${tx.json(result as never)})
    returning id::text`;
  return row!.id;
}

/** The shop is gone (uninstalled, or its data erased): no sync, no write-back, the reason shown. */
export async function markChannelDisconnected(tx: Tx, tenantId: string, channelId: string, reason: string, opts: { forgetCursor?: boolean } = {}): Promise<void> {
  await tx`update channels set status = 'disconnected', status_reason = ${reason},
      sync_cursor = case when ${opts.forgetCursor ?? false} then null else sync_cursor end
    where tenant_id = ${tenantId} and id = ${channelId}`;
}
