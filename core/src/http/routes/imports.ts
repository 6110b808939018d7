import { z } from '@hono/zod-openapi';
import { ImportReportSchema } from '../../contracts/catalog.ts';
import { DeliveryNoteSchema } from '../../contracts/warehouse.ts';
import { importStock } from '../../flows/index.ts';
import { importBins, importProducts } from '../../inventory/index.ts';
import type { Deps } from '../../shared/deps.ts';
import { createApiRouter, errors, Id, inTx, json, jsonBody, route, tenantOf } from '../openapi.ts';

/*
 * CSV imports. The file travels as JSON ({ "csv": "<the file's text>" }) like every other /api/v1
 * body: one content type, one size limit (1 MB), one validation path; a spreadsheet's text is a
 * string in it, BOM and all.
 */

const csv = z.string({ error: 'required: the CSV file as text' }).min(1, 'required: the CSV file as text');
const dryRun = z.boolean().default(false);
const warehouseId = Id.optional();

const ProductsImportInput = z.object({ csv, dryRun }).strict().meta({ id: 'ProductsImportInput' });
const BinsImportInput = z.object({ csv, dryRun, warehouseId }).strict().meta({ id: 'BinsImportInput' });
const StockImportInput = z
  .object({ csv, dryRun, warehouseId, reason: z.string({ error: 'required: why the stock comes in (1-100 characters)' }).trim().min(1, 'required: why the stock comes in (1-100 characters)').max(100) })
  .strict()
  .meta({ id: 'StockImportInput' });

const StockImportReport = ImportReportSchema.extend({
  stockReceipts: z.array(z.object({ id: z.string(), warehouseId: z.string(), fileLines: z.array(z.number()) })),
  releasedDeliveryNotes: z.array(DeliveryNoteSchema),
  stillBlockedDeliveryNotes: z.array(DeliveryNoteSchema),
}).meta({ id: 'StockImportReport' });

const accepted = 'The line-by-line report (accepted lines written unless dryRun; refused lines change nothing)';

export function importsRouter(deps: Deps) {
  const api = createApiRouter();

  api.openapi(
    route('post', '/imports/products', {
      summary: 'Import products from CSV (sku, name, product, barcode, weight_kg or weight_g, vat_rate, price, dimensions; `;` or `,`): new SKUs created, known ones updated',
      request: { body: jsonBody(ProductsImportInput) },
      responses: { 200: json(ImportReportSchema, accepted), ...errors },
    }),
    async (c) => c.json(await inTx(deps, (tx) => importProducts(tx, tenantOf(c), c.req.valid('json'))), 200),
  );
  api.openapi(
    route('post', '/imports/bins', {
      summary: 'Import bins from CSV (warehouse, code, zone, pick_sequence): new bins created, known ones updated',
      request: { body: jsonBody(BinsImportInput) },
      responses: { 200: json(ImportReportSchema, accepted), ...errors },
    }),
    async (c) => c.json(await inTx(deps, (tx) => importBins(tx, tenantOf(c), c.req.valid('json'))), 200),
  );
  api.openapi(
    route('post', '/imports/stock', {
      summary: 'Import stock from CSV (sku or barcode, warehouse, bin, quantity): received like a stock receipt (one per warehouse, the reason as its reference); releases the blocked delivery notes it covers',
      request: { body: jsonBody(StockImportInput) },
      responses: { 200: json(StockImportReport, accepted), ...errors },
    }),
    async (c) => c.json(await inTx(deps, (tx) => importStock(tx, tenantOf(c), c.req.valid('json'))), 200),
  );

  return api;
}
