import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { writeSyncLog } from '../../channels/sync-log.ts';
import { receiveShopifyWebhook } from '../../flows/receive-shopify-webhook.ts';
import { receiveWooWebhook } from '../../flows/receive-woo-webhook.ts';
import type { Deps } from '../../shared/deps.ts';
import { errorBody } from '../errors.ts';

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

export function webhookRouter(deps: Deps) {
  const r = new Hono();
  const tooLarge = async (source: string, channelId: string | null) => {
    await writeSyncLog(deps.sql, { tenantId: null, channelId, direction: 'inbound', kind: 'webhook', topic: source, outcome: 'rejected', error: 'body over 1 MB' });
    return errorBody('PAYLOAD_TOO_LARGE', 'The webhook body is larger than 1 MB.', [{ path: 'body', reason: 'over 1 MB' }]);
  };
  // Shopify: the shop and topic come from the headers; one URL for every topic.
  r.post('/shopify', async (c) => {
    const raw = await readRaw(c.req.raw);
    if (!raw) return c.json(await tooLarge('shopify', null), 413, { Connection: 'close' });
    const answer = await receiveShopifyWebhook(deps, c.req.raw.headers, raw);
    return c.json(answer.body, answer.status as ContentfulStatusCode);
  });
  r.post('/woocommerce/:channelId', async (c) => {
    const raw = await readRaw(c.req.raw);
    const id = c.req.param('channelId');
    if (!raw) return c.json(await tooLarge('woocommerce', /^\d{1,18}$/.test(id) ? id : null), 413, { Connection: 'close' });
    const answer = await receiveWooWebhook(deps, id, c.req.raw.headers, raw);
    return c.json(answer.body, answer.status as ContentfulStatusCode);
  });
  return r;
}
