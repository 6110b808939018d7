import { Hono } from 'hono';
import { parseShopifyJson, verifyShopifyHmac } from '../../core/src/channels/index.ts';
import { serveApp } from '../../core/src/http/index.ts';

/**
 * The floor under bench/ingest (issue 14): a Hono route on the core's own server (serveApp) that
 * does none of the intake. FLOOR=bare reads the body and answers 200; FLOOR=signed also checks the
 * Shopify HMAC and parses the body with the core's big-integer-safe parse (an order id does not fit
 * a double): the least any intake must do before it maps, checks or writes anything.
 */
const mode = process.env.FLOOR === 'signed' ? 'signed' : 'bare';
const secret = process.env.FLOOR_SECRET ?? '';
const app = new Hono();
app.post('/webhooks/shopify', async (c) => {
  const body = new Uint8Array(await c.req.arrayBuffer());
  if (mode === 'signed') {
    if (!verifyShopifyHmac(body, c.req.header('x-shopify-hmac-sha256'), [secret])) return c.json({ error: 'hmac' }, 401);
    const order = parseShopifyJson(Buffer.from(body).toString('utf8')) as { id?: unknown };
    if (order.id === undefined) return c.json({ error: 'no id' }, 400);
  }
  return c.json({ ok: true });
});
const server = await serveApp(app, { host: '127.0.0.1', port: 0 });
process.stdout.write(`PORT ${server.port}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
