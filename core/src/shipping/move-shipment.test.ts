import { beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../test/support/test-db.ts';
import type { Sql } from '../db/connect.ts';
import { DomainError } from '../shared/domain-error.ts';
import { moveShipment } from './move-shipment.ts';

let sql: Sql;
let tenantId: string;
let accountId: string;
let seq = 0;

beforeAll(async () => {
  ({ sql } = await testDatabase());
  const [t] = await sql<{ id: string }[]>`insert into tenants (name) values ('move-shipment') returning id::text`;
  tenantId = t!.id;
  const [a] = await sql<{ id: string }[]>`insert into courier_accounts (tenant_id, courier, name, credentials_enc, base_url)
    values (${tenantId}, 'cargus', 'cargus move', 'v1.unused', 'http://127.0.0.1:1') returning id::text`;
  accountId = a!.id;
});

async function shipment(status: string): Promise<string> {
  const [s] = await sql<{ id: string }[]>`insert into shipments (tenant_id, courier_account_id, courier, service, reference, status)
    values (${tenantId}, ${accountId}, 'cargus', 'Standard', ${`move-${++seq}`}, ${status}) returning id::text`;
  return s!.id;
}
const row = async (id: string) =>
  (await sql<{ status: string; delivered_at: Date | null; cancelled_at: Date | null; last_raw_code: string | null }[]>`
    select status, delivered_at, cancelled_at, last_raw_code from shipments where tenant_id = ${tenantId} and id = ${id}`)[0]!;

describe('moveShipment', () => {
  it('runs the events in order and writes the status with the columns of the move', async () => {
    const id = await shipment('created');
    const move = await sql.begin((tx) => moveShipment(tx, tenantId, id, ['report_picked_up', 'report_delivered'], tx`last_raw_code = ${'DLV'}`));
    expect(move).toEqual({ from: 'created', to: 'delivered' });
    const r = await row(id);
    expect(r).toMatchObject({ status: 'delivered', last_raw_code: 'DLV', cancelled_at: null });
    expect(r.delivered_at).toBeInstanceOf(Date);
  });

  it('keeps the status when no event is given, and writes only the columns', async () => {
    const id = await shipment('in_transit');
    expect(await sql.begin((tx) => moveShipment(tx, tenantId, id, [], tx`last_raw_code = ${'SCAN'}`))).toEqual({ from: 'in_transit', to: 'in_transit' });
    expect(await row(id)).toMatchObject({ status: 'in_transit', last_raw_code: 'SCAN', delivered_at: null });
  });

  it('refuses an illegal event with INVALID_STATE and writes nothing', async () => {
    const id = await shipment('delivered');
    const err = await sql.begin((tx) => moveShipment(tx, tenantId, id, ['report_in_transit'], tx`last_raw_code = ${'LATE'}`)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('INVALID_STATE');
    expect((err as DomainError).message).toContain(`Shipment ${id} is delivered`);
    expect(await row(id)).toMatchObject({ status: 'delivered', last_raw_code: null });
  });

  it('stamps cancelled_at the first time a shipment is cancelled', async () => {
    const id = await shipment('created');
    await sql.begin((tx) => moveShipment(tx, tenantId, id, ['cancel_awb']));
    const r = await row(id);
    expect(r.status).toBe('cancelled');
    expect(r.cancelled_at).toBeInstanceOf(Date);
  });

  it('answers NOT_FOUND for a shipment that does not exist', async () => {
    const err = await sql.begin((tx) => moveShipment(tx, tenantId, '999999999', ['confirm_awb'])).catch((e: unknown) => e);
    expect((err as DomainError).code).toBe('NOT_FOUND');
  });
});
