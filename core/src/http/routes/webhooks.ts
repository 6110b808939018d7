import { IncomingMessage } from 'node:http';
import { type Context, Hono } from 'hono';
import { writeSyncLog } from '../../channels/index.ts';
import type { HeaderReader } from '../../contracts/webhook.ts';
import { receiveShopifyWebhook, receiveWooWebhook } from '../../flows/index.ts';
import type { Deps } from '../../shared/deps.ts';
import { isId } from '../../shared/ids.ts';
import { tooLargeResponse, webhookResponse } from '../errors.ts';
import { intakeCap } from '../intake-cap.ts';

const LIMIT = 1024 * 1024;

/**
 * The Node request under Hono's, when the core is served by @hono/node-server (`c.env.incoming`).
 * Webhooks read their headers and bytes from it directly: the fetch `Request` and `Headers` the
 * adapter builds on first use of `body` or `headers`, and the web stream the body would be read
 * through, cost more CPU per webhook than verifying its signature.
 */
function incomingOf(c: Context): IncomingMessage | null {
  const incoming = (c.env as { incoming?: unknown } | undefined)?.incoming;
  return incoming instanceof IncomingMessage ? incoming : null;
}

/** The request's headers; names are case-insensitive either way. */
function headersOf(c: Context): HeaderReader {
  const incoming = incomingOf(c);
  if (!incoming) return c.req.raw.headers;
  const h = incoming.headers;
  return {
    get(name: string) {
      const v = h[name.toLowerCase()];
      return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
    },
  };
}

/** Reads the raw bytes (signatures are over the exact body) and refuses more than 1 MB. */
async function readRaw(c: Context): Promise<Uint8Array | null> {
  const declared = Number(headersOf(c).get('content-length') ?? '0');
  if (declared > LIMIT) return null;
  const incoming = incomingOf(c);
  if (incoming) return readIncoming(incoming);
  const req = c.req.raw;
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

/** The Node request's body; null past the limit (the rest is left unread: the answer closes the connection). */
function readIncoming(incoming: IncomingMessage): Promise<Uint8Array | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (r: Uint8Array | null) => {
      incoming.off('data', onData).off('end', onEnd).off('error', reject).off('close', onClose);
      resolve(r);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > LIMIT) done(null);
      else chunks.push(chunk);
    };
    const onEnd = () => done(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    const onClose = () => {
      if (!incoming.readableEnded) reject(new Error('the webhook request was closed before its body ended'));
    };
    if (incoming.readableEnded) return resolve(new Uint8Array());
    incoming.on('data', onData).on('end', onEnd).on('error', reject).on('close', onClose);
  });
}

export function webhookRouter(deps: Deps, opts: { maxInFlight: number }) {
  const r = new Hono();
  r.use('*', intakeCap(opts.maxInFlight));
  const logTooLarge = (source: string, channelId: string | null) =>
    writeSyncLog(deps.sql, { tenantId: null, channelId, direction: 'inbound', kind: 'webhook', topic: source, outcome: 'rejected', error: 'body over 1 MB' });
  // Shopify: the shop and topic come from the headers; one URL for every topic.
  r.post('/shopify', async (c) => {
    const raw = await readRaw(c);
    if (!raw) {
      await logTooLarge('shopify', null);
      return tooLargeResponse(c, 'The webhook body is larger than 1 MB.', '1 MB');
    }
    return webhookResponse(c, await receiveShopifyWebhook(deps, headersOf(c), raw));
  });
  r.post('/woocommerce/:channelId', async (c) => {
    const raw = await readRaw(c);
    const id = c.req.param('channelId');
    if (!raw) {
      await logTooLarge('woocommerce', isId(id) ? id : null);
      return tooLargeResponse(c, 'The webhook body is larger than 1 MB.', '1 MB');
    }
    return webhookResponse(c, await receiveWooWebhook(deps, id, headersOf(c), raw));
  });
  return r;
}
