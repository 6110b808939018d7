import { z } from 'zod';

/*
 * The catalog as the API shows it: products with their variants (a variant's id is the productId
 * of stock receipts, adjustments and order lines), warehouses, bins, and the line-by-line report
 * of a CSV import.
 */

const decimal = (frac: number, what: string) =>
  z.union([z.number().nonnegative(what), z.string().trim().regex(new RegExp(`^\\d{1,10}([.,]\\d{1,${frac}})?$`), what)]).transform((v) => String(v).replace(',', '.'));
const measure = (frac: number) => decimal(frac, `must be a number ≥ 0 with at most ${frac} decimals`).nullable().optional();

export const VariantInputSchema = z
  .object({
    sku: z.string({ error: 'required: 1-100 characters without spaces' }).trim().min(1, 'required: 1-100 characters without spaces').max(100).regex(/^\S+$/, 'no spaces'),
    barcode: z.string().trim().max(64).nullable().optional(),
    /** The variant's own name (order lines, pick lists); default: the product's name. */
    name: z.string().trim().min(1).max(300).optional(),
    weightKg: measure(3),
    lengthCm: measure(1),
    widthCm: measure(1),
    heightCm: measure(1),
    vatRate: decimal(2, 'must be a percentage such as 21 or 9').refine((v) => Number(v) <= 100, 'must be at most 100').optional(),
    price: decimal(4, 'must be a price ≥ 0 with at most 4 decimals').nullable().optional(),
    vatCategory: z
      .enum(['S', 'Z', 'E', 'AE'])
      .nullable()
      .optional()
      .meta({ description: 'VAT treatment on invoices: S (or null) taxed at vatRate, Z zero-rated, E exempt (with the reason), AE domestic reverse charge (art. 331). K, G and O follow from the client and the seller.' }),
    vatExemptionCode: z.string().regex(/^VATEX-[A-Z0-9-]{1,30}$/, 'must be a VATEX code such as VATEX-EU-132').nullable().optional(),
    vatExemptionReason: z.string().trim().min(1).max(100).nullable().optional().meta({ description: 'The legal text for E, e.g. "Scutit conform art. 292 alin. (2) lit. a) Cod fiscal".' }),
  })
  .strict()
  .meta({ id: 'VariantInput' });

export const VariantPatchSchema = VariantInputSchema.partial().extend({ archived: z.boolean().optional(), returnable: z.boolean().optional() }).strict().meta({ id: 'VariantPatch' });

export const ProductInputSchema = z
  .object({
    name: z.string({ error: 'required: 1-300 characters' }).trim().min(1, 'required: 1-300 characters').max(300),
    variants: z.array(VariantInputSchema).min(1, 'a product needs at least one variant').max(200),
  })
  .strict()
  .meta({ id: 'ProductInput' });

export const VariantSchema = z
  .object({
    id: z.string(),
    productId: z.string(),
    sku: z.string(),
    barcode: z.string().nullable(),
    name: z.string(),
    weightKg: z.string().nullable(),
    lengthCm: z.string().nullable(),
    widthCm: z.string().nullable(),
    heightCm: z.string().nullable(),
    vatRate: z.string(),
    vatCategory: z.enum(['S', 'Z', 'E', 'AE']).nullable(),
    vatExemptionCode: z.string().nullable(),
    vatExemptionReason: z.string().nullable(),
    price: z.string().nullable(),
    archived: z.boolean(),
    origin: z.string().nullable(),
    originChannelId: z.string().nullable(),
    editedAt: z.string().nullable(),
    /** Whether the shop takes it back (a return of it is refused when false). */
    returnable: z.boolean(),
    channels: z.array(z.object({ channelId: z.string(), externalProductId: z.string().nullable(), externalVariantId: z.string().nullable() })),
  })
  .meta({ id: 'Variant' });

export const ProductSchema = z.object({ id: z.string(), name: z.string(), archived: z.boolean(), variants: z.array(VariantSchema) }).meta({ id: 'Product' });

const addressText = z.string().trim().min(1).max(200).optional();
export const WarehouseAddressSchema = z
  .object({
    name: addressText,
    contactPerson: addressText,
    company: addressText,
    phone: addressText,
    email: addressText,
    addressLine: addressText,
    street: addressText,
    streetNo: addressText,
    locality: addressText,
    county: addressText,
    postalCode: addressText,
    countryCode: z.string().trim().regex(/^[A-Za-z]{2}$/, 'an ISO country code such as RO').transform((s) => s.toUpperCase()).optional(),
  })
  .strict()
  .meta({ id: 'WarehouseAddress' });

const code = (max: number) => z.string({ error: `required: 1-${max} characters without spaces` }).trim().min(1, `required: 1-${max} characters without spaces`).max(max).regex(/^\S+$/, 'no spaces');

export const WarehouseInputSchema = z
  .object({ code: code(20), name: z.string({ error: 'required: 1-200 characters' }).trim().min(1, 'required: 1-200 characters').max(200), address: WarehouseAddressSchema.nullable().optional() })
  .strict()
  .meta({ id: 'WarehouseInput' });
export const WarehousePatchSchema = WarehouseInputSchema.partial().strict().meta({ id: 'WarehousePatch' });

export const WarehouseSchema = z
  .object({ id: z.string(), code: z.string(), name: z.string(), address: z.record(z.string(), z.string()).nullable(), bins: z.number(), activeBins: z.number() })
  .meta({ id: 'Warehouse' });

const pickSequence = z.number({ error: 'must be a whole number ≥ 0' }).int('must be a whole number ≥ 0').min(0, 'must be a whole number ≥ 0').max(1_000_000_000);
export const BinInputSchema = z
  .object({ code: code(50), zone: z.string().trim().max(50).nullable().optional(), pickSequence: pickSequence.optional() })
  .strict()
  .meta({ id: 'BinInput' });
export const BinPatchSchema = BinInputSchema.partial().extend({ active: z.boolean().optional() }).strict().meta({ id: 'BinPatch' });

export const BinSchema = z
  .object({ id: z.string(), warehouseId: z.string(), code: z.string(), zone: z.string().nullable(), pickSequence: z.number(), active: z.boolean(), onHand: z.number(), reserved: z.number() })
  .meta({ id: 'Bin' });

export const IMPORT_KINDS = ['products', 'bins', 'stock'] as const;

export const ImportLineSchema = z
  .object({
    line: z.number(),
    status: z.enum(['accepted', 'refused']),
    key: z.string().nullable(),
    action: z.enum(['created', 'updated', 'unchanged', 'received']).nullable(),
    problems: z.array(z.object({ column: z.string(), reason: z.string() })),
  })
  .meta({ id: 'ImportLine' });

export const ImportReportSchema = z
  .object({
    kind: z.enum(IMPORT_KINDS),
    dryRun: z.boolean(),
    separator: z.enum([';', ',']),
    columns: z.array(z.string()),
    ignoredColumns: z.array(z.string()),
    accepted: z.number(),
    refused: z.number(),
    lines: z.array(ImportLineSchema),
  })
  .passthrough()
  .meta({ id: 'ImportReport' });
