import postgres from 'postgres';
import { writeCredentials } from '../../core/src/channels/index.ts';
import { connect, type Sql, migrate } from '../../core/src/db/index.ts';
import { adjustStock } from '../../core/src/inventory/index.ts';
import { createSecretBox, type SecretBox } from '../../core/src/shared/index.ts';
import { acquirePgServer, withDatabase } from '../../test/support/pg-server.ts';

export const BENCH_MASTER_KEY = Buffer.alloc(32, 9).toString('base64');

export interface BenchDb {
  url: string;
  /** The server's admin URL (a scratch database for pgbench is made beside this one). */
  adminUrl: string;
  sql: Sql;
  box: SecretBox;
  serverKind: string;
  close(): Promise<void>;
}

/**
 * A scratch, migrated database on the same server the tests use; dropped on close. With `keep`
 * (a database name), the database of that name is used if it exists, created otherwise, migrated
 * to the current migrations either way, and kept on close: a bench whose seed takes minutes seeds
 * once and measures many times (`reused` says whether it was there already).
 */
export async function benchDatabase(max = 40, o: { keep?: string | undefined } = {}): Promise<BenchDb & { reused: boolean }> {
  const server = await acquirePgServer();
  if (o.keep !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(o.keep)) throw new Error(`not a database name: ${o.keep}`);
  const name = o.keep ?? `expedio_bench_${process.pid}_${Date.now()}`;
  const admin = postgres(server.adminUrl, { max: 1, onnotice: () => {} });
  await dropLeftovers(admin);
  const reused = o.keep !== undefined && (await admin`select 1 from pg_database where datname = ${name}`).length > 0;
  if (!reused) await admin.unsafe(`create database ${name}`);
  const url = withDatabase(server.adminUrl, name);
  const sql = connect(url, { max });
  await migrate(sql);
  return {
    url,
    adminUrl: server.adminUrl,
    sql,
    box: createSecretBox(BENCH_MASTER_KEY),
    serverKind: server.kind,
    reused,
    async close() {
      await sql.end({ timeout: 5 });
      if (o.keep === undefined) await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
      await server.release();
    },
  };
}

/** Whether a process of this id is running (signal 0 checks without sending anything). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Scratch databases of bench runs that are gone (killed, or failed before their close): their
 * names carry the run's process id, so a database whose process no longer runs is dropped.
 */
async function dropLeftovers(admin: postgres.Sql): Promise<void> {
  const rows = await admin<{ datname: string }[]>`select datname from pg_database where datname ~ '^expedio_(pg)?bench_[0-9]+_[0-9]+$'`;
  for (const { datname } of rows) {
    const pid = Number(datname.split('_').at(-2));
    if (!running(pid)) await admin.unsafe(`drop database if exists ${datname} with (force)`);
  }
}

export interface BenchTenant {
  tenantId: string;
  warehouseId: string;
  shopDomain: string;
  appSecret: string;
  channelId: string;
  skus: string[];
  productIds: string[];
}

export async function benchTenant(db: BenchDb, o: { skus: number; stockEach: number; autoConfirm: boolean }): Promise<BenchTenant> {
  return await db.sql.begin(async (tx) => {
    const [t] = await tx<{ id: string }[]>`insert into tenants (name) values ('bench') returning id::text`;
    const tenantId = t!.id;
    const [wh] = await tx<{ id: string }[]>`insert into warehouses (tenant_id, code, name) values (${tenantId}, 'W', 'W') returning id::text`;
    const [bin] = await tx<{ id: string }[]>`insert into bins (tenant_id, warehouse_id, code, pick_sequence) values (${tenantId}, ${wh!.id}, 'A-01', 1) returning id::text`;
    const skus: string[] = [];
    const productIds: string[] = [];
    for (let i = 0; i < o.skus; i++) {
      const sku = `B-${String(i).padStart(3, '0')}`;
      const [p] = await tx<{ id: string }[]>`insert into products (tenant_id, sku, name) values (${tenantId}, ${sku}, ${sku}) returning id::text`;
      skus.push(sku);
      productIds.push(p!.id);
      if (o.stockEach > 0) await adjustStock(tx, tenantId, { warehouseId: wh!.id, binId: bin!.id, productId: p!.id, delta: o.stockEach, kind: 'receipt', causeType: 'bench', causeId: 'seed' });
    }
    const shopDomain = `bench-${tenantId}.myshopify.com`;
    const [ch] = await tx<{ id: string }[]>`insert into channels (tenant_id, kind, name, external_ref, default_warehouse_id, auto_confirm)
      values (${tenantId}, 'shopify', 'bench', ${shopDomain}, ${wh!.id}, ${o.autoConfirm}) returning id::text`;
    const appSecret = 'shpss_bench_secret';
    await writeCredentials(tx, db.box, tenantId, ch!.id, { apiKey: 'bench', apiSecret: appSecret });
    return { tenantId, warehouseId: wh!.id, shopDomain, appSecret, channelId: ch!.id, skus, productIds };
  });
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
