import type { Db } from '../db/connect.ts';
import { DomainError } from '../shared/domain-error.ts';
import { isId } from '../shared/ids.ts';
import type { LabelFormat } from './courier-adapter.ts';

/** Batch printing: a row the screen polls (done of total) until the merged PDF is there. */
export interface LabelBatch {
  id: string;
  shipmentIds: string[];
  format: LabelFormat;
  status: 'pending' | 'running' | 'done' | 'failed';
  total: number;
  done: number;
  error: string | null;
  hasPdf: boolean;
  createdAt: string;
  updatedAt: string;
}

export const MAX_LABEL_BATCH = 1000;

interface Row {
  id: string;
  shipment_ids: string[];
  format: LabelFormat;
  status: LabelBatch['status'];
  total: number;
  done: number;
  error: string | null;
  has_pdf: boolean;
  created_at: Date;
  updated_at: Date;
}
const COLUMNS = 'id::text, shipment_ids::text[] as shipment_ids, format, status, total, done, error, (pdf is not null) as has_pdf, created_at, updated_at';
const toBatch = (r: Row): LabelBatch => ({
  id: r.id,
  shipmentIds: r.shipment_ids,
  format: r.format,
  status: r.status,
  total: r.total,
  done: r.done,
  error: r.error,
  hasPdf: r.has_pdf,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

export async function createLabelBatch(db: Db, tenantId: string, shipmentIds: string[], format: LabelFormat): Promise<LabelBatch> {
  const ids = [...new Set(shipmentIds)];
  if (ids.length === 0 || ids.length > MAX_LABEL_BATCH) throw new DomainError('VALIDATION', `A label batch holds 1 to ${MAX_LABEL_BATCH} shipments.`, [{ path: 'shipmentIds', reason: `1 to ${MAX_LABEL_BATCH} ids` }]);
  const bad = ids.map((id, i) => ({ id, i })).filter((x) => !isId(x.id));
  if (bad.length) throw new DomainError('VALIDATION', `Shipment ids must be numeric: ${bad.map((b) => b.id).join(', ')}.`, bad.map((b) => ({ path: `shipmentIds[${b.i}]`, reason: 'must be a numeric id' })));
  const found = await db<{ id: string; awb: string | null }[]>`select id::text, awb from shipments where tenant_id = ${tenantId} and id = any(${ids}::bigint[])`;
  const byId = new Map(found.map((f) => [f.id, f]));
  const problems = ids.flatMap((id, i) => {
    const f = byId.get(id);
    return !f ? [{ path: `shipmentIds[${i}]`, reason: `shipment ${id} does not exist` }] : !f.awb ? [{ path: `shipmentIds[${i}]`, reason: `shipment ${id} has no AWB yet` }] : [];
  });
  if (problems.length) throw new DomainError('VALIDATION', `These shipments cannot be printed: ${problems.map((p) => p.reason).join('; ')}.`, problems);
  const [row] = await db.unsafe<Row[]>(`insert into label_batches (tenant_id, shipment_ids, format, total) values ($1, $2::bigint[], $3, $4) returning ${COLUMNS}`, [tenantId, ids, format, ids.length]);
  return toBatch(row!);
}

export async function getLabelBatch(db: Db, tenantId: string, id: string): Promise<LabelBatch> {
  const [row] = isId(id) ? await db.unsafe<Row[]>(`select ${COLUMNS} from label_batches where tenant_id = $1 and id = $2`, [tenantId, id]) : [];
  if (!row) throw new DomainError('NOT_FOUND', `Label batch ${id} does not exist.`, [{ path: 'id', reason: 'unknown label batch' }]);
  return toBatch(row);
}

export async function labelBatchPdf(db: Db, tenantId: string, id: string): Promise<Uint8Array | null> {
  const [row] = await db<{ pdf: Buffer | null }[]>`select pdf from label_batches where tenant_id = ${tenantId} and id = ${id}`;
  return row?.pdf ? new Uint8Array(row.pdf) : null;
}

/** Takes a pending batch for processing; false when another process already has it. */
export async function claimLabelBatch(db: Db, tenantId: string, id: string): Promise<boolean> {
  const rows = await db`update label_batches set status = 'running', updated_at = now() where tenant_id = ${tenantId} and id = ${id} and status = 'pending' returning id`;
  return rows.length > 0;
}

export async function reportLabelBatchProgress(db: Db, tenantId: string, id: string, done: number): Promise<void> {
  await db`update label_batches set done = ${done}, updated_at = now() where tenant_id = ${tenantId} and id = ${id}`;
}

export async function finishLabelBatch(db: Db, tenantId: string, id: string, outcome: { pdf: Uint8Array } | { error: string }): Promise<void> {
  if ('pdf' in outcome)
    await db`update label_batches set status = 'done', done = total, pdf = ${Buffer.from(outcome.pdf)}, updated_at = now() where tenant_id = ${tenantId} and id = ${id}`;
  else await db`update label_batches set status = 'failed', error = ${outcome.error.slice(0, 1000)}, updated_at = now() where tenant_id = ${tenantId} and id = ${id}`;
}
