import { Hono } from 'hono';
import { writeSyncLog } from '../../channels/index.ts';
import { receiveShopifyWebhook, receiveWooWebhook } from '../../flows/index.ts';
import type { Deps } from '../../shared/deps.ts';
import { isId } from '../../shared/ids.ts';
import { tooLargeResponse, webhookResponse } from '../errors.ts';
import { intakeCap } from '../intake-cap.ts';

const LIMIT = 1024 * 1024;

/** Reads the raw bytes (signatures are over the exact body) and refuses more than 1 MB. */
async function readRaw(req: Request): Promise<Uint8Array | null> {
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > LIMIT) return null;
  if (!req.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of req.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > LIMIT) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function webhookRouter(deps: Deps, opts: { maxInFlight: number }) {
  const r = new Hono();
  r.use('*', intakeCap(opts.maxInFlight));
  const logTooLarge = (source: string, channelId: string | null) =>
    writeSyncLog(deps.sql, { tenantId: null, channelId, direction: 'inbound', kind: 'webhook', topic: source, outcome: 'rejected', error: 'body over 1 MB' });
  // Shopify: the shop and topic come from the headers; one URL for every topic.
  r.post('/shopify', async (c) => {
    const raw = await readRaw(c.req.raw);
    if (!raw) {
      await logTooLarge('shopify', null);
      return tooLargeResponse(c, 'The webhook body is larger than 1 MB.', '1 MB');
    }
    return webhookResponse(c, await receiveShopifyWebhook(deps, c.req.raw.headers, raw));
  });
  r.post('/woocommerce/:channelId', async (c) => {
    const raw = await readRaw(c.req.raw);
    const id = c.req.param('channelId');
    if (!raw) {
      await logTooLarge('woocommerce', isId(id) ? id : null);
      return tooLargeResponse(c, 'The webhook body is larger than 1 MB.', '1 MB');
    }
    return webhookResponse(c, await receiveWooWebhook(deps, id, c.req.raw.headers, raw));
  });
  return r;
}
