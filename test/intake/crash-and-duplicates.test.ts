import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { sendShopifyWebhook } from '../fakes/shopify/send-shopify-webhook.ts';
import { type CoreHarness, startCore, TEST_MASTER_KEY, type TenantFixture } from '../support/core-harness.ts';
import { shopifyOrderBody } from '../support/orders.ts';

/**
 * Acknowledged data is never lost and never doubled: a storm of redeliveries of one order, and a
 * core killed with SIGKILL twice while webhooks stream in. A 200 means committed; a redelivery is
 * a no-op; the work an order causes (its validation) is queued exactly once with it.
 */
let core: CoreHarness;
let t: TenantFixture;

beforeAll(async () => {
  core = await startCore();
  t = await core.createTenant({ channel: { auto_confirm: true } });
});

const send = (url: string, raw: string, webhookId: string) =>
  sendShopifyWebhook({ url: `${url}/webhooks/shopify`, topic: 'orders/create', shopDomain: t.shopify.shopDomain, body: raw, secret: t.shopify.apiSecret, webhookId });

async function storedOnce(externalIds: string[]) {
  const rows = await core.sql<{ external_order_id: string; n: number; validations: number }[]>`
    select o.external_order_id, count(*)::int as n,
           (select count(*)::int from outbox x where x.tenant_id = o.tenant_id and x.kind = 'order.validate' and x.payload->>'orderId' = min(o.id)::text) as validations
    from orders o where o.tenant_id = ${t.tenantId} and o.external_order_id = any(${externalIds})
    group by o.tenant_id, o.external_order_id`;
  return rows;
}

describe('intake under duplicates and crashes', () => {
  it('170 deliveries of one order (redeliveries and fresh webhook ids, 34 at a time) store one order, one validation and one reservation', async () => {
    const { raw, id } = shopifyOrderBody({ lines: [['A-1', 2]] });
    const webhookId = randomUUID();
    const statuses: number[] = [];
    for (let wave = 0; wave < 5; wave++) {
      const answers = await Promise.all(Array.from({ length: 34 }, (_, i) => send(core.url, raw, i % 2 ? webhookId : randomUUID())));
      statuses.push(...answers.map((r) => r.status));
    }
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    const rows = await storedOnce([id]);
    expect(rows).toEqual([{ external_order_id: id, n: 1, validations: 1 }]);
    await core.drainOutbox();
    const [r] = await core.sql<{ reserved: number }[]>`
      select coalesce(sum(r.quantity), 0)::int as reserved from stock_reservations r
      join orders o on o.tenant_id = r.tenant_id and o.id = r.order_id
      where o.tenant_id = ${t.tenantId} and o.external_order_id = ${id}`;
    expect(r!.reserved).toBe(2);
  });

  it('a core killed with SIGKILL twice mid-load loses no acknowledged order and doubles none; resending everything changes nothing', { timeout: 60_000 }, async () => {
    const mainTs = fileURLToPath(new URL('../../core/src/main.ts', import.meta.url));
    const startProcess = () =>
      new Promise<{ child: ChildProcess; url: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [mainTs], {
          env: { ...process.env, DATABASE_URL: core.databaseUrl, EXPEDIO_MASTER_KEY: TEST_MASTER_KEY, PORT: '0', HOST: '127.0.0.1', EXPEDIO_SETUP_CODE: 'crash-test-setup-code' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        const timer = setTimeout(() => reject(new Error('the core did not start within 20 s')), 20_000);
        child.stdout!.on('data', (d: Buffer) => {
          const m = /listening on (http:\/\/[\d.:]+)/.exec(d.toString());
          if (m) {
            clearTimeout(timer);
            resolve({ child, url: m[1]! });
          }
        });
        child.once('exit', (code) => reject(new Error(`the core exited (${code}) before listening`)));
      });
    const bodies = Array.from({ length: 240 }, () => shopifyOrderBody({ lines: [['A-2', 1]] }));
    const acknowledged = new Set<string>();
    let next = 0;
    // Eight senders stream orders at the process until it dies (connection errors end them), bounded by the list.
    const load = async (url: string) => {
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < bodies.length) {
            const b = bodies[next++]!;
            try {
              const res = await send(url, b.raw, `crash-${b.id}`);
              if (res.status === 200) acknowledged.add(b.id);
            } catch {
              return;
            }
          }
        }),
      );
    };
    for (let round = 0; round < 2; round++) {
      const p = await startProcess();
      const running = load(p.url);
      const target = acknowledged.size + 30;
      for (let i = 0; i < 400 && acknowledged.size < target && next < bodies.length; i++) await new Promise((r) => setTimeout(r, 25));
      p.child.kill('SIGKILL');
      await running;
      console.log(`kill -9 round ${round + 1}: ${next} sent, ${acknowledged.size} acknowledged so far`);
    }
    expect(acknowledged.size).toBeGreaterThanOrEqual(40);
    const acked = [...acknowledged];
    let rows = await storedOnce(acked);
    expect(rows.length).toBe(acked.length);
    expect(rows.filter((r) => r.n !== 1 || r.validations !== 1)).toEqual([]);

    // Shopify retries what it never got a 200 for, and may redeliver the rest: everything once more.
    const p = await startProcess();
    try {
      for (let i = 0; i < bodies.length; i += 16) {
        const answers = await Promise.all(bodies.slice(i, i + 16).map((b) => send(p.url, b.raw, `crash-${b.id}`)));
        expect(answers.filter((a) => a.status !== 200).map((a) => a.status)).toEqual([]);
      }
    } finally {
      p.child.kill('SIGKILL');
    }
    rows = await storedOnce(bodies.map((b) => b.id));
    expect(rows.length).toBe(bodies.length);
    expect(rows.filter((r) => r.n !== 1 || r.validations !== 1)).toEqual([]);
  });
});
