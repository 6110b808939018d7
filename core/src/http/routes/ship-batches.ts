import { z } from '@hono/zod-openapi';
import { LabelFormatSchema } from '../../contracts/courier.ts';
import { ShipBatchSchema } from '../../contracts/ship-batch.ts';
import { retryFailedShipBatch, startShipBatch } from '../../flows/index.ts';
import { orderNumbers } from '../../orders/index.ts';
import type { Deps } from '../../shared/deps.ts';
import { getShipBatch, MAX_SHIP_BATCH } from '../../shipping/index.ts';
import { assertOwnChannelIds } from '../channel-scope.ts';
import { createApiRouter, errors, Id, IdParam, json, jsonBody, route, tenantOf } from '../openapi.ts';

/** Bulk AWBs: a run over many orders, polled for per-order progress; failed orders retried alone. */
type Batch = Awaited<ReturnType<typeof getShipBatch>>;

export function shipBatchesRouter(deps: Deps) {
  /** Each order of the run with the store's number, as the merchant knows it (#1001, not Expedio's id). */
  const withNumbers = async (tenantId: string, batch: Batch) => {
    const numbers = await orderNumbers(deps.sql, tenantId, batch.orders.map((o) => o.orderId));
    return { ...batch, orders: batch.orders.map((o) => ({ ...o, orderNumber: numbers.get(o.orderId) ?? null })) };
  };

  const api = createApiRouter();

  api.openapi(
    route('post', '/ship-batches', {
      summary: 'Create the AWBs of many orders (each packing list ready to deliver); poll GET /ship-batches/{id}. Never a second AWB for a packing list that has one',
      request: { body: jsonBody(z.object({ orderIds: z.array(Id).min(1).max(MAX_SHIP_BATCH), labelFormat: LabelFormatSchema.default('A6') })) },
      responses: { 202: json(ShipBatchSchema, 'The run, queued'), ...errors },
    }),
    async (c) => {
      const b = c.req.valid('json');
      await assertOwnChannelIds(deps, c.get('principal'), 'orders', b.orderIds, 'orderIds');
      return c.json(await withNumbers(tenantOf(c), await startShipBatch(deps.sql, tenantOf(c), b.orderIds, b.labelFormat)), 202);
    },
  );

  /** A channel-bound session sees only runs over its own channel's orders. */
  const ownBatch = async (c: Parameters<Parameters<typeof api.openapi>[1]>[0], id: string) => {
    const batch = await getShipBatch(deps.sql, tenantOf(c), id);
    await assertOwnChannelIds(deps, c.get('principal'), 'orders', batch.orders.map((o) => o.orderId), 'id');
    return batch;
  };

  api.openapi(
    route('get', '/ship-batches/{id}', { summary: 'Progress of a bulk AWB run: done, failed (with the reason) and pending orders', request: { params: IdParam }, responses: { 200: json(ShipBatchSchema, 'The run'), ...errors } }),
    async (c) => c.json(await withNumbers(tenantOf(c), await ownBatch(c, c.req.valid('param').id)), 200),
  );

  api.openapi(
    route('post', '/ship-batches/{id}/retry', {
      summary: 'Queue the failed orders of the run again; done orders keep their AWBs',
      request: { params: IdParam },
      responses: { 202: json(ShipBatchSchema, 'The run, failed orders pending again'), ...errors },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await ownBatch(c, id);
      return c.json(await withNumbers(tenantOf(c), await retryFailedShipBatch(deps.sql, tenantOf(c), id)), 202);
    },
  );

  return api;
}
