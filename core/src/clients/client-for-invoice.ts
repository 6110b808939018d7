import type { Db } from '../db/connect.ts';

export interface ClientForInvoice {
  company: string | null;
  vatNumber: string | null;
  tradeRegisterNo: string | null;
  firstName: string | null;
  lastName: string | null;
  kind: string;
}

/** The client's legal identity as an invoice's buyer needs it (B2B when a company has a valid VAT number). */
export async function clientForInvoice(db: Db, tenantId: string, clientId: string): Promise<ClientForInvoice | null> {
  const [c] = await db<ClientForInvoice[]>`
    select company, vat_number as "vatNumber", trade_register_no as "tradeRegisterNo", first_name as "firstName", last_name as "lastName", kind
    from clients where tenant_id = ${tenantId} and id = ${clientId}`;
  return c ?? null;
}
