import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { receiveBostaWebhook } from '../../flows/track-shipments.ts';
import type { Deps } from '../../shared/deps.ts';
import { errorBody } from '../errors.ts';

const LIMIT = 256 * 1024;

/** Courier push notifications under /webhooks/couriers. Only Bosta pushes (shared/contracts/couriers.md §5.4). */
export function courierWebhookRouter(deps: Deps) {
  const r = new Hono();
  r.post('/bosta/:channelId', async (c) => {
    const declared = Number(c.req.header('content-length') ?? '0');
    const raw = declared > LIMIT ? null : new Uint8Array(await c.req.arrayBuffer());
    if (!raw || raw.byteLength > LIMIT) return c.json(errorBody('PAYLOAD_TOO_LARGE', 'The webhook body is larger than 256 KB.', [{ path: 'body', reason: 'over 256 KB' }]), 413, { Connection: 'close' });
    const answer = await receiveBostaWebhook(deps, c.req.param('channelId'), c.req.raw.headers, raw);
    return c.json(answer.body, answer.status as ContentfulStatusCode);
  });
  return r;
}
