import { z } from '@hono/zod-openapi';
import { receiveStock } from '../../flows/index.ts';
import { adjustBinStock, getStockReceipt, listStockReceipts, type StockAdjustmentInput, type StockReceiptInput } from '../../inventory/index.ts';
import { DeliveryNoteSchema } from '../../contracts/warehouse.ts';
import type { Deps } from '../../shared/deps.ts';
import { createApiRouter, errors, Id, IdParam, inTx, json, jsonBody, route, tenantOf } from '../openapi.ts';

const PRODUCT_KEYS = ['productId', 'sku', 'barcode'] as const;
const BIN_KEYS = ['binId', 'binCode'] as const;

const refs = {
  productId: Id.optional(),
  sku: z.string().trim().min(1).max(100).optional(),
  barcode: z.string().trim().min(1).max(64).optional(),
  binId: Id.optional(),
  binCode: z.string().trim().min(1).max(50).optional(),
};

/** Exactly one key of each group: a product by id, SKU or barcode; a bin by id or code. */
function exactlyOne(v: Record<string, unknown>, ctx: z.RefinementCtx) {
  for (const keys of [PRODUCT_KEYS, BIN_KEYS]) {
    const given = keys.filter((k) => v[k] !== undefined);
    if (given.length !== 1) ctx.addIssue({ code: 'custom', path: [given[1] ?? keys[0]], message: `give exactly one of ${keys.join(', ')}` });
  }
}

const positiveInt = z.number({ error: 'must be a positive whole number' }).int('must be a positive whole number').positive('must be a positive whole number').max(1_000_000);

const ReceiptLineInput = z.object({ ...refs, quantity: positiveInt }).superRefine(exactlyOne);
const ReceiptInput = z
  .object({
    warehouseId: Id,
    reference: z.string().trim().min(1).max(100).optional(),
    note: z.string().max(1000).optional(),
    lines: z.array(ReceiptLineInput).min(1, 'a receipt needs at least one line').max(500),
  })
  .meta({ id: 'StockReceiptInput' });

const AdjustmentInput = z
  .object({
    warehouseId: Id,
    ...refs,
    delta: z.number({ error: 'must be a non-zero whole number' }).int('must be a non-zero whole number').min(-1_000_000).max(1_000_000).refine((d) => d !== 0, 'must be a non-zero whole number').optional(),
    countedQuantity: z.number({ error: 'must be a whole number >= 0' }).int('must be a whole number >= 0').min(0, 'must be a whole number >= 0').max(1_000_000).optional(),
    reason: z.string({ error: 'required: why the stock changes (1-200 characters)' }).trim().min(1, 'required: why the stock changes (1-200 characters)').max(200, 'at most 200 characters'),
  })
  .superRefine((v, ctx) => {
    exactlyOne(v, ctx);
    if ((v.delta === undefined) === (v.countedQuantity === undefined)) ctx.addIssue({ code: 'custom', path: [v.delta === undefined ? 'delta' : 'countedQuantity'], message: 'give exactly one of delta, countedQuantity' });
  })
  .meta({ id: 'StockAdjustmentInput' });

const StockReceiptSchema = z
  .object({
    id: z.string(),
    warehouseId: z.string(),
    reference: z.string().nullable(),
    createdAt: z.string(),
    lines: z.array(z.object({ lineNo: z.number(), productId: z.string(), sku: z.string(), binId: z.string(), binCode: z.string(), quantity: z.number() }).passthrough()),
  })
  .passthrough()
  .meta({ id: 'StockReceipt' });

/** Stock receipts (goods into bins; they release the blocked delivery notes they cover) and adjustments with a reason. */
export function stockReceiptsRouter(deps: Deps) {
  const api = createApiRouter({ paths: 'brackets' });

  api.openapi(
    route('post', '/stock-receipts', {
      summary: 'Receive goods into bins; the blocked delivery notes of the products received are rechecked and released when covered',
      request: { body: jsonBody(ReceiptInput) },
      responses: {
        201: json(z.object({ receipt: StockReceiptSchema, releasedDeliveryNotes: z.array(DeliveryNoteSchema), stillBlockedDeliveryNotes: z.array(DeliveryNoteSchema) }), 'The receipt recorded'),
        ...errors,
      },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const input: StockReceiptInput = {
        warehouseId: b.warehouseId,
        ...(b.reference !== undefined ? { reference: b.reference } : {}),
        ...(b.note !== undefined ? { note: b.note } : {}),
        lines: b.lines,
      };
      return c.json(await inTx(deps, (tx) => receiveStock(tx, tenantOf(c), input)), 201);
    },
  );

  api.openapi(
    route('get', '/stock-receipts', {
      summary: 'Stock receipts, newest first (keyset: pass nextCursor as cursor)',
      request: { query: z.object({ warehouseId: Id.optional(), limit: z.coerce.number().int().min(1).max(200).default(50), cursor: Id.optional() }) },
      responses: { 200: json(z.object({ stockReceipts: z.array(StockReceiptSchema), nextCursor: z.string().nullable() }), 'A page of stock receipts'), ...errors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await listStockReceipts(deps.sql, tenantOf(c), { limit: q.limit, ...(q.warehouseId ? { warehouseId: q.warehouseId } : {}), ...(q.cursor ? { cursor: q.cursor } : {}) }), 200);
    },
  );

  api.openapi(
    route('get', '/stock-receipts/{id}', { summary: 'One stock receipt with its lines', request: { params: IdParam }, responses: { 200: json(StockReceiptSchema, 'One stock receipt'), ...errors } }),
    async (c) => c.json(await getStockReceipt(deps.sql, tenantOf(c), c.req.valid('param').id), 200),
  );

  api.openapi(
    route('post', '/stock-adjustments', {
      summary: "Correct a bin's on hand by a delta, or set it to a counted quantity; never below what is reserved",
      request: { body: jsonBody(AdjustmentInput) },
      responses: {
        201: json(
          z.object({ movementId: z.string(), kind: z.enum(['stock_adjustment', 'stock_count']), delta: z.number(), onHand: z.number(), reserved: z.number(), reason: z.string() }).passthrough(),
          'The adjustment written to the stock ledger',
        ),
        ...errors,
      },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const { delta, countedQuantity, ...rest } = b;
      const input: StockAdjustmentInput = countedQuantity !== undefined ? { ...rest, countedQuantity } : { ...rest, delta: delta! };
      return c.json(await inTx(deps, (tx) => adjustBinStock(tx, tenantOf(c), input)), 201);
    },
  );

  return api;
}
