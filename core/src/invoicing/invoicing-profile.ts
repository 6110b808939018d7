import type { Db, Sql } from '../db/connect.ts';
import { DomainError } from '../shared/domain-error.ts';
import { assertPublicUrl } from '../shared/public-host.ts';
import type { SecretBox } from '../shared/secret-box.ts';
import type { Party } from './invoice-document.ts';
import { isValidCui } from './vat-number.ts';
import { bucharestSector, roCountyCode } from './ro-counties.ts';

export interface InvoicingProfile {
  legalName: string;
  cui: string;
  vatRegistered: boolean;
  tradeRegisterNo: string | null;
  street: string;
  city: string;
  countyCode: string;
  postalCode: string | null;
  countryCode: string;
  bankName: string | null;
  iban: string | null;
  email: string | null;
  phone: string | null;
  paymentTermsDays: number;
  shippingVatRate: string;
  /** The older SMTP URL (it may carry a password), sealed with the SecretBox; open it to send. */
  smtpUrlSealed: string | null;
  mailFrom: string | null;
  /** BT-22 on every invoice (share capital, "TVA la încasare", ...). */
  invoiceNote?: string | null;
}

export async function getInvoicingProfile(db: Db, tenantId: string): Promise<InvoicingProfile | null> {
  const [row] = await db<InvoicingProfile[]>`
    select legal_name as "legalName", cui, vat_registered as "vatRegistered", trade_register_no as "tradeRegisterNo",
      street, city, county_code as "countyCode", postal_code as "postalCode", country_code as "countryCode",
      bank_name as "bankName", iban, email, phone, payment_terms_days as "paymentTermsDays",
      shipping_vat_rate::text as "shippingVatRate", smtp_url_enc as "smtpUrlSealed", mail_from as "mailFrom",
      invoice_note as "invoiceNote"
    from invoicing_profiles where tenant_id = ${tenantId}`;
  return row ?? null;
}

/** Creates or replaces the seller profile; the CUI checksum and county are checked first. */
export type InvoicingProfileInput = Omit<InvoicingProfile, 'countryCode' | 'smtpUrlSealed' | 'mailFrom' | 'shippingVatRate' | 'paymentTermsDays'> &
  Partial<Omit<InvoicingProfile, 'smtpUrlSealed'>> & {
    /** A new SMTP URL in clear (sealed here with `box`); null clears it. */
    smtpUrl?: string | null;
    /** The stored sealed URL, kept as it is (a form that does not edit it). */
    smtpUrlSealed?: string | null;
  };

/**
 * Creates or replaces the seller profile; the CUI checksum and county are checked first. An SMTP
 * URL must name a public host (shared/public-host.ts resolves it: call with the pool, never
 * inside a transaction) and is stored sealed, never in clear.
 */
export async function saveInvoicingProfile(db: Db, tenantId: string, p: InvoicingProfileInput, box?: SecretBox): Promise<void> {
  const cui = p.cui.toUpperCase().replace(/^RO/, '').trim();
  const details = [];
  if (!isValidCui(cui)) details.push({ path: 'cui', reason: 'fails the CUI checksum' });
  if (!roCountyCode(p.countyCode)) details.push({ path: 'countyCode', reason: 'not an ISO 3166-2:RO county code' });
  // BR-RO-100: a Bucharest seller's city is its sector on every e-Factura; refused here rather than by ANAF later.
  else if (roCountyCode(p.countyCode) === 'RO-B' && !bucharestSector([p.city, p.street], p.postalCode))
    details.push({ path: 'city', reason: 'a Bucharest address names its sector (e.g. "București Sector 3", or a postal code 0S....)' });
  if (details.length) throw new DomainError('VALIDATION', `The invoicing profile of tenant ${tenantId} is not valid.`, details);
  let smtpUrlSealed = p.smtpUrlSealed ?? null;
  if (p.smtpUrl) {
    if (!box) throw new Error('saveInvoicingProfile needs the secret box to seal smtpUrl');
    await assertPublicUrl(p.smtpUrl, 'smtpUrl', { schemes: ['smtp:', 'smtps:'] });
    smtpUrlSealed = box.seal(p.smtpUrl);
  } else if (p.smtpUrl === null) smtpUrlSealed = null;
  const county = roCountyCode(p.countyCode)!.slice(3);
  await db`
    insert into invoicing_profiles (tenant_id, legal_name, cui, vat_registered, trade_register_no, street, city, county_code, postal_code,
      bank_name, iban, email, phone, payment_terms_days, shipping_vat_rate, smtp_url_enc, mail_from, invoice_note)
    values (${tenantId}, ${p.legalName}, ${cui}, ${p.vatRegistered}, ${p.tradeRegisterNo}, ${p.street}, ${p.city}, ${county}, ${p.postalCode},
      ${p.bankName}, ${p.iban}, ${p.email}, ${p.phone}, ${p.paymentTermsDays ?? 15}, ${p.shippingVatRate ?? '21'}, ${smtpUrlSealed}, ${p.mailFrom ?? null}, ${p.invoiceNote ?? null})
    on conflict (tenant_id) do update set legal_name = excluded.legal_name, cui = excluded.cui, vat_registered = excluded.vat_registered,
      trade_register_no = excluded.trade_register_no, street = excluded.street, city = excluded.city, county_code = excluded.county_code,
      postal_code = excluded.postal_code, bank_name = excluded.bank_name, iban = excluded.iban, email = excluded.email, phone = excluded.phone,
      payment_terms_days = excluded.payment_terms_days, shipping_vat_rate = excluded.shipping_vat_rate, smtp_url_enc = excluded.smtp_url_enc, smtp_url = null,
      mail_from = excluded.mail_from, invoice_note = excluded.invoice_note, updated_at = now()`;
}

export function sellerParty(p: InvoicingProfile): Party {
  const county = `RO-${p.countyCode}`;
  // BR-RO-100: a Bucharest seller's city is its sector.
  const city = county === 'RO-B' ? (bucharestSector([p.city, p.street], p.postalCode) ?? p.city) : p.city;
  return {
    name: p.legalName,
    vatId: p.vatRegistered ? `RO${p.cui}` : null,
    legalId: p.cui,
    tradeRegisterNo: p.tradeRegisterNo,
    street: p.street,
    city,
    countySubentity: county,
    postalCode: p.postalCode,
    countryCode: p.countryCode,
    email: p.email,
    phone: p.phone,
    bankName: p.bankName,
    iban: p.iban,
    isCompany: true,
  };
}

/**
 * Seals the SMTP URLs written in clear before migration 022 (SQL has no master key, so this runs
 * at start-up, after the migrations, in every process that migrates). Idempotent and safe on
 * several replicas at once: each row is sealed and cleared in one statement under its row lock.
 */
export async function sealPlainSmtpUrls(sql: Sql, box: SecretBox): Promise<number> {
  const rows = await sql<{ tenantId: string; smtpUrl: string }[]>`select tenant_id::text as "tenantId", smtp_url as "smtpUrl" from invoicing_profiles where smtp_url is not null`;
  for (const r of rows) {
    await sql`update invoicing_profiles set smtp_url_enc = ${box.seal(r.smtpUrl)}, smtp_url = null where tenant_id = ${r.tenantId} and smtp_url = ${r.smtpUrl}`;
  }
  return rows.length;
}
