import { Hono } from 'hono';
import { receiveCourierWebhook } from '../../flows/index.ts';
import type { Deps } from '../../shared/deps.ts';
import { tooLargeResponse, webhookResponse } from '../errors.ts';

const LIMIT = 256 * 1024;

/** Courier push notifications under /webhooks/couriers. Only Bosta pushes (shared/contracts/couriers.md §5.4). */
export function courierWebhookRouter(deps: Deps) {
  const r = new Hono();
  r.post('/bosta/:channelId', async (c) => {
    const declared = Number(c.req.header('content-length') ?? '0');
    const raw = declared > LIMIT ? null : new Uint8Array(await c.req.arrayBuffer());
    if (!raw || raw.byteLength > LIMIT) return tooLargeResponse(c, 'The webhook body is larger than 256 KB.', '256 KB');
    return webhookResponse(c, await receiveCourierWebhook(deps, 'bosta', c.req.param('channelId'), c.req.raw.headers, raw));
  });
  return r;
}
