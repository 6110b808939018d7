import type { Db } from '../db/connect.ts';
import { DomainError } from '../shared/domain-error.ts';
import { getLabelBatch, labelBatchPdf } from './label-batches.ts';

/** The merged labels of a batch that is done; refused while it still runs. */
export async function finishedLabelBatchPdf(db: Db, tenantId: string, batchId: string): Promise<Uint8Array> {
  const b = await getLabelBatch(db, tenantId, batchId);
  const bytes = b.status === 'done' ? await labelBatchPdf(db, tenantId, batchId) : null;
  if (!bytes) throw new DomainError('INVALID_STATE', `Label batch ${batchId} is ${b.status} (${b.done} of ${b.total}); the PDF is there once it is done.`, [{ path: 'status', reason: b.status }]);
  return bytes;
}
