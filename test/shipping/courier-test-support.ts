import type { Sql } from '../../core/src/db/connect.ts';
import type { ShipmentRequest } from '../../core/src/shipping/courier-adapter.ts';
import { createAuditedFetch } from '../../core/src/shipping/courier-audit.ts';
import type { CourierCode } from '../../core/src/shipping/courier-adapter.ts';

/** Sleeps recorded instead of waited, so back-off is asserted by value and tests stay fast. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

export async function auditTenant(sql: Sql): Promise<string> {
  const [t] = await sql<{ id: string }[]>`insert into tenants (name) values ('Courier test') returning id::text`;
  return t!.id;
}

export const auditedFetch = (sql: Sql, tenantId: string, courier: CourierCode) =>
  createAuditedFetch({ db: sql, tenantId, courier });

export async function auditRows(sql: Sql, tenantId: string, courier: CourierCode) {
  return sql<{ operation: string; method: string; url: string; request_headers: Record<string, string>; request_body: string | null; response_status: number | null; response_body: string | null; latency_ms: number; outcome: string; error: string | null }[]>`
    select operation, method, url, request_headers, request_body, response_status, response_body, latency_ms, outcome, error
    from courier_audit_log where tenant_id = ${tenantId} and courier = ${courier} order by id`;
}

export function roRequest(over: Partial<ShipmentRequest> = {}): ShipmentRequest {
  return {
    reference: `PL-${Math.random().toString(36).slice(2, 8)}-1`,
    service: undefined,
    parcels: [{ weightKg: 1.5, lengthCm: 30, widthCm: 20, heightCm: 10 }],
    address: {
      name: 'Ana Pop',
      phone: '+40 700 000 000',
      email: 'ana@example.com',
      countryCode: 'RO',
      county: 'Cluj',
      locality: 'Cluj-Napoca',
      postalCode: '400001',
      street: 'Str. Exemplu',
      streetNo: '1',
      addressLine: 'Str. Exemplu 1, ap. 2',
    },
    cod: { amount: '150.00', currency: 'RON' },
    contents: 'haine',
    labelFormat: 'A6',
    ...over,
  };
}
