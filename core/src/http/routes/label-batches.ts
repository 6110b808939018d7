import { z } from '@hono/zod-openapi';
import { CourierCodeSchema, LabelFormatSchema } from '../../contracts/courier.ts';
import { renderManifest, runLabelBatch } from '../../flows/index.ts';
import type { Deps } from '../../shared/deps.ts';
import { finishedLabelBatchPdf, createLabelBatch, getLabelBatch } from '../../shipping/index.ts';
import { assertOwnChannelIds } from '../channel-scope.ts';
import { createApiRouter, Day, Id, IdParam, json, jsonBody, Obj, pdf, pdfResponse, route, tenantOf, upstreamErrors } from '../openapi.ts';

/** Printed paper for the courier: label batches (many labels, one PDF) and the hand-over manifest. */
export function labelBatchesRouter(deps: Deps) {
  const api = createApiRouter();

  api.openapi(
    route('post', '/label-batches', {
      summary: 'Print many labels as one PDF: creates a batch; poll GET /label-batches/{id} for progress',
      request: { body: jsonBody(z.object({ shipmentIds: z.array(Id).min(1).max(1000), format: LabelFormatSchema.default('A6') })) },
      responses: { 202: json(Obj, 'The batch, started'), ...upstreamErrors },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const tenantId = tenantOf(c);
      await assertOwnChannelIds(deps, c.get('principal'), 'shipments', b.shipmentIds, 'shipmentIds');
      const batch = await createLabelBatch(deps.sql, tenantId, b.shipmentIds, b.format);
      // Runs in this process; the batch row carries progress and the result for whoever polls.
      void runLabelBatch(deps, tenantId, batch.id).catch((e) => console.error('label batch failed', e));
      return c.json(batch, 202);
    },
  );

  api.openapi(
    route('get', '/label-batches/{id}', {
      summary: 'Progress of a label batch (done of total); pdfUrl once done',
      request: { params: IdParam },
      responses: { 200: json(Obj, 'The batch'), ...upstreamErrors },
    }),
    async (c) => {
      const b = await getLabelBatch(deps.sql, tenantOf(c), c.req.valid('param').id);
      return c.json({ ...b, pdfUrl: b.status === 'done' ? `/api/v1/label-batches/${b.id}/pdf` : null }, 200);
    },
  );

  api.openapi(
    route('get', '/label-batches/{id}/pdf', {
      summary: 'The merged labels of a finished batch',
      request: { params: IdParam },
      responses: { 200: pdf('Merged labels'), ...upstreamErrors },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      return pdfResponse(c, await finishedLabelBatchPdf(deps.sql, tenantOf(c), id), { 'content-disposition': `inline; filename="labels-${id}.pdf"` });
    },
  );

  api.openapi(
    route('get', '/shipping/manifest', {
      summary: 'Hand-over manifest PDF for one courier × warehouse × day',
      request: { query: z.object({ courier: CourierCodeSchema, warehouseId: Id, day: Day }) },
      responses: { 200: pdf('Manifest PDF'), ...upstreamErrors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const r = await renderManifest(deps, tenantOf(c), q);
      return pdfResponse(c, r.pdf, { 'content-disposition': `inline; filename="manifest-${q.courier}-${q.day}.pdf"`, 'x-awb-count': String(r.count) });
    },
  );

  return api;
}
