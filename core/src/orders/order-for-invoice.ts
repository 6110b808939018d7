import type { Db } from '../db/connect.ts';

export interface InvoiceAddress {
  firstName?: string | null;
  lastName?: string | null;
  company?: string | null;
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  province?: string | null;
  provinceCode?: string | null;
  postcode?: string | null;
  countryCode?: string | null;
  email?: string | null;
  phone?: string | null;
}

/** What invoicing needs of an order beside its row: addresses, price basis and the lines still ordered. */
export async function orderForInvoice(db: Db, tenantId: string, orderId: string) {
  const [[o], lines] = await Promise.all([
    db<{ billing: InvoiceAddress | null; shipping: InvoiceAddress | null; pricesIncludeTax: boolean; clientId: string | null }[]>`
      select billing_address as billing, shipping_address as shipping, prices_include_tax as "pricesIncludeTax", client_id::text as "clientId"
      from orders where tenant_id = ${tenantId} and id = ${orderId}`,
    db<{ sku: string | null; name: string; quantity: number; unitPrice: string; discount: string; vatRate: string | null; productId: string | null; total: string; tax: string | null }[]>`
      select sku, name, quantity, unit_price::text as "unitPrice", discount::text, vat_rate::text as "vatRate", product_id::text as "productId",
        total::text, tax::text
      from order_lines where tenant_id = ${tenantId} and order_id = ${orderId} and quantity > 0 order by line_no`,
  ]);
  return { ...o!, lines };
}
