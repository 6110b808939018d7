import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../core/src/auth/users.ts';
import { readCredentials } from '../../core/src/channels/channel-repo.ts';
import { type FakeWooCommerce, startFakeWooCommerce } from '../fakes/woocommerce/fake-woocommerce.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { wooOrder } from '../support/orders.ts';
import { TEST_TLS, trustTestCertificate } from '../support/test-tls.ts';
import { connectWooStore, grantOnConsentPage, loginToCore, postWooInstallation } from '../support/woo-connect.ts';
import { insertShippedOrder } from '../writeback/support.ts';

// Connecting a store from the plugin, end to end against the real core: the pairing (a manager's
// consent or a tenant API key), the REST keys tried on the store and sealed, then sync, webhooks
// and write-back through the connected channel — once on a real https store (Basic), once on a
// plain-http one (OAuth 1.0a).
let core: CoreHarness;
let t: TenantFixture;
let https: FakeWooCommerce;
let http: FakeWooCommerce;
const manager = { email: 'manager@connect.test', password: 'correct horse battery' };
const hex40 = () => randomBytes(20).toString('hex');

beforeAll(async () => {
  trustTestCertificate();
  core = await startCore();
  t = await core.createTenant();
  await createUser(core.sql, t.tenantId, { ...manager, name: 'Manager', role: 'manager' });
  https = await startFakeWooCommerce({ consumerKey: `ck_${hex40()}`, consumerSecret: `cs_${hex40()}`, tls: TEST_TLS });
  http = await startFakeWooCommerce({ consumerKey: `ck_${hex40()}`, consumerSecret: `cs_${hex40()}`, isSsl: false });
});
afterAll(async () => {
  await https.close();
  await http.close();
});

async function channelRow(channelId: string) {
  const [row] = await core.sql<{ tenant_id: string; kind: string; external_ref: string; status: string; status_reason: string | null; credentials_enc: string }[]>`
    select tenant_id::text, kind, external_ref, status, status_reason, credentials_enc from channels where id = ${channelId}`;
  return row!;
}

async function placeSyncAndWriteBack(woo: FakeWooCommerce, channelId: string, pluginKey: string, firstId: number) {
  // A new store ships from the workspace's one warehouse without anyone choosing it; the settings still take a choice.
  expect((await core.api(`/api/v1/channels/${channelId}/settings`, { key: t.apiKey })).body.defaultWarehouseId).toBe(t.warehouseId);
  const settings = await core.api(`/api/v1/channels/${channelId}/settings`, { method: 'PATCH', key: t.apiKey, body: JSON.stringify({ defaultWarehouseId: t.warehouseId }) });
  expect(settings.status).toBe(200);

  woo.upsertOrder(wooOrder({ id: firstId, lines: [['Bar3', 2]], modified: new Date('2026-11-21T09:00:00Z') }));
  const sync = await core.api(`/api/v1/channels/${channelId}/sync`, { method: 'POST', key: pluginKey });
  expect(sync.status).toBe(200);
  expect(sync.body.created).toBe(1);
  const [synced] = await core.sql`select status from orders where tenant_id = ${t.tenantId} and channel_id = ${channelId} and external_order_id = ${String(firstId)}`;
  expect(synced).toBeDefined();

  // A webhook from the store, signed with the secret the plugin registered.
  woo.upsertOrder(wooOrder({ id: firstId + 1, lines: [['A-1', 1]] }));
  const [delivery] = await woo.deliver('order.created', firstId + 1);
  expect(delivery!.status).toBe(200);
  const [hooked] = await core.sql`select id from orders where tenant_id = ${t.tenantId} and channel_id = ${channelId} and external_order_id = ${String(firstId + 1)}`;
  expect(hooked).toBeDefined();

  // Write-back: a shipped order of this channel reaches the store as tracking meta and a customer note.
  const order = woo.upsertOrder(wooOrder({ id: firstId + 50, status: 'processing' }));
  const s = await insertShippedOrder(core.sql, t, { channelId, externalOrderId: String(order.id), courier: 'cargus', lines: [{ sku: 'A-1', quantity: 1, externalLineId: '900' }] });
  await core.drainOutbox();
  expect(woo.orders.get(order.id)!.meta_data.find((m) => m.key === '_wc_shipment_tracking_items')?.value).toEqual([expect.objectContaining({ tracking_number: s.awb })]);
  expect((woo.notes.get(order.id) ?? []).some((n) => n.customer_note && n.note.includes(s.awb))).toBe(true);
}

describe('connecting WooCommerce from the plugin', () => {
  it('https store: a manager allows it, the keys are sealed, catalog sync queued; sync, webhooks and write-back run over Basic', async () => {
    expect(https.url).toMatch(/^https:\/\//);
    const before = https.requests.length;
    const conn = await connectWooStore(core, https, { pairing: { operator: manager }, storeName: 'Magazin TLS' });
    expect(conn.created).toBe(true);
    expect(conn.apiKey).toMatch(/^exp_/);

    const row = await channelRow(conn.channelId);
    expect(row).toMatchObject({ tenant_id: t.tenantId, kind: 'woocommerce', external_ref: https.url, status: 'active' });
    expect(row.credentials_enc).not.toContain(conn.key.consumerSecret);
    expect(row.credentials_enc).not.toContain(conn.key.consumerKey);
    expect(await readCredentials(core.sql, core.deps.box, t.tenantId, conn.channelId)).toEqual({ consumerKey: conn.key.consumerKey, consumerSecret: conn.key.consumerSecret });
    const [name] = await core.sql`select name from channels where id = ${conn.channelId}`;
    expect(name!.name).toBe('Magazin TLS');
    const queued = await core.sql`select payload from outbox where tenant_id = ${t.tenantId} and kind = 'channel.catalog_sync'`;
    expect(queued.map((r) => r.payload)).toContainEqual({ channelId: conn.channelId });
    // The one verification call the core made with the new key, over TLS with Basic.
    expect(https.requests.slice(before).filter((r) => r.path === '/wp-json/wc/v3/orders')).toEqual([expect.objectContaining({ auth: 'basic', method: 'GET' })]);

    const start = https.requests.length;
    await placeSyncAndWriteBack(https, conn.channelId, conn.apiKey, 7100);
    const made = https.requests.slice(start).filter((r) => r.path.startsWith('/wp-json/wc/v3/'));
    expect(made.length).toBeGreaterThanOrEqual(3);
    expect(made.every((r) => r.auth === 'basic')).toBe(true);
  });

  it('http store: a tenant API key pairs it; sync, webhooks and write-back are signed with OAuth 1.0a', async () => {
    expect(http.url).toMatch(/^http:\/\//);
    const conn = await connectWooStore(core, http, { pairing: { apiKey: t.apiKey } });
    expect((await channelRow(conn.channelId)).external_ref).toBe(http.url);
    const start = http.requests.length;
    await placeSyncAndWriteBack(http, conn.channelId, conn.apiKey, 7200);
    const made = http.requests.slice(start).filter((r) => r.path.startsWith('/wp-json/wc/v3/'));
    expect(made.length).toBeGreaterThanOrEqual(3);
    expect(made.every((r) => r.auth === 'oauth1')).toBe(true);
  });

  it('connecting the same store again reuses its channel, clears "needs reconnect" and revokes the previous plugin key', async () => {
    const first = await connectWooStore(core, http, { pairing: { apiKey: t.apiKey }, webhooks: false });
    await core.sql`update channels set status = 'needs_reconnect', status_reason = 'keys revoked in WooCommerce' where id = ${first.channelId}`;
    const again = await connectWooStore(core, http, { pairing: { apiKey: first.apiKey }, webhooks: false });
    expect(again.channelId).toBe(first.channelId);
    expect(again.created).toBe(false);
    expect(await channelRow(first.channelId)).toMatchObject({ status: 'active', status_reason: null });
    expect((await readCredentials(core.sql, core.deps.box, t.tenantId, first.channelId)).consumerKey).toBe(again.key.consumerKey);
    expect((await core.api('/api/v1/channels', { key: first.apiKey })).status).toBe(401);
    const own = await core.api('/api/v1/channels', { key: again.apiKey });
    expect(own.body.channels.map((c: { id: string }) => c.id)).toEqual([first.channelId]);
  });

  it('keys the store refuses: 400 naming the secret and the store’s reason, and no channel is written', async () => {
    const key = http.addApiKey({ description: 'Expedio', permissions: 'read_write' });
    const channelsBefore = await core.sql`select id from channels where tenant_id = ${t.tenantId}`;
    const answer = await postWooInstallation(core, t.apiKey, { storeUrl: http.url, consumerKey: key.consumerKey, consumerSecret: `cs_${hex40()}` });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('VALIDATION');
    expect(answer.body.error.message).toContain('Invalid signature - provided signature does not match.');
    expect(answer.body.error.details).toEqual([{ path: 'consumerSecret', reason: expect.stringContaining('the store refused it') }]);

    const unknown = await postWooInstallation(core, t.apiKey, { storeUrl: https.url, consumerKey: `ck_${hex40()}`, consumerSecret: `cs_${hex40()}` });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details).toEqual([{ path: 'consumerKey', reason: expect.stringContaining('Consumer key is invalid.') }]);

    const readOnly = await postWooInstallation(core, t.apiKey, { storeUrl: http.url, consumerKey: key.consumerKey, consumerSecret: key.consumerSecret, keyPermissions: 'read' });
    expect(readOnly.status).toBe(400);
    expect(readOnly.body.error.details).toEqual([expect.objectContaining({ path: 'keyPermissions' })]);
    expect(await core.sql`select id from channels where tenant_id = ${t.tenantId}`).toHaveLength(channelsBefore.length);
  });

  it('a stranger cannot attach a store: no credential, a made-up code or key, a used code, a code for another store', async () => {
    const key = http.addApiKey({ description: 'Expedio', permissions: 'read_write' });
    const body = { storeUrl: http.url, consumerKey: key.consumerKey, consumerSecret: key.consumerSecret };
    const anonymous = await fetch(`${core.url}/api/v1/installations/woocommerce`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...body, keyPermissions: 'read_write' }) });
    expect(anonymous.status).toBe(401);
    for (const bearer of [`expc_${randomBytes(32).toString('base64url')}`, `exp_${randomBytes(24).toString('base64url')}`]) {
      const answer = await postWooInstallation(core, bearer, body);
      expect(answer.status).toBe(401);
      expect(answer.body.error.details[0].path).toBe('Authorization');
    }

    const state = randomBytes(16).toString('hex');
    const code = (await grantOnConsentPage(core, http.url, manager, state)).searchParams.get('expedio_code')!;
    const forOther = await postWooInstallation(core, code, { ...body, storeUrl: https.url });
    expect(forOther.status).toBe(403);
    expect(forOther.body.error.details).toEqual([{ path: 'storeUrl', reason: `the code is for ${http.url}` }]);
    expect((await postWooInstallation(core, code, body)).status).toBe(201);
    const replay = await postWooInstallation(core, code, body);
    expect(replay.status).toBe(401);
    expect(replay.body.error.message).toContain('already used');
  });

  it('the installation endpoint is in /openapi.json with its body and answers', async () => {
    const doc = (await (await fetch(`${core.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>> };
    const op = doc.paths['/api/v1/installations/woocommerce']?.['post'];
    expect(op?.requestBody).toBeDefined();
    expect(Object.keys(op!.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403']));
  });

  it('the consent page sends a code only back to the store that asked, and only a manager may grant it', async () => {
    const picker = { email: 'picker@connect.test', password: 'correct horse battery' };
    await createUser(core.sql, t.tenantId, { ...picker, name: 'Picker', role: 'warehouse' });
    await expect(grantOnConsentPage(core, http.url, picker, randomBytes(16).toString('hex'))).rejects.toThrow(/answered 403/);

    const { cookie } = await loginToCore(core, manager);
    const ask = (returnUrl: string) =>
      fetch(`${core.url}/warehouse/connect/woocommerce?${new URLSearchParams({ store_url: http.url, return_url: returnUrl, state: randomBytes(16).toString('hex') })}`, { headers: { cookie } });
    const evil = await ask('https://evil.example/wp-admin/admin-post.php');
    expect(evil.status).toBe(400);
    expect(await evil.text()).toContain('return_url must be on the store');
    const own = await ask(`${http.url}/wp-admin/admin-post.php?action=expedio_connect_return`);
    expect(own.status).toBe(200);
    expect(await own.text()).toContain(http.url);
  });
});
