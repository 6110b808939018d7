import { z } from 'zod';
import { ORDER_STATUSES } from './order.ts';

/*
 * A channel's settings as GET/PATCH /api/v1/channels/{id}/settings read and write them. The
 * vocabularies here are the ones the core uses (notifications/ and channels/ import them), so a
 * settings screen and the code that acts on the settings cannot disagree.
 */

export const CREATE_INVOICE_TRIGGERS = ['off', 'on_shipping', 'on_paid'] as const;
/** Where an invoice line's unit price comes from. */
export const INVOICE_PRICE_SOURCES = ['order', 'price_list'] as const;
/** The statuses an incoming store order may start in (channels/channel-repo.ts DEFAULT_STATUS_MAP_IN). */
export const INTAKE_STATUSES = ['draft', 'new', 'on_hold', 'cancelled'] as const;
/** The languages Expedio writes to customers in. */
export const CUSTOMER_LANGUAGES = ['ro', 'en'] as const;
/** The shipment moments a customer may hear about. */
export const CUSTOMER_EVENTS = ['shipped', 'out_for_delivery', 'delivered'] as const;
/** What fills a WhatsApp template's body variables {{1}}, {{2}}, … in order. */
export const TEMPLATE_PARAMS = ['customer_name', 'order_number', 'courier', 'awb', 'tracking_url'] as const;

const StoreStatusWord = z.string().regex(/^[a-z0-9_-]{1,40}$/, 'a store status is a lowercase slug like "processing"');
const SettingsId = z.string().regex(/^\d{1,18}$/, 'must be an id (digits)');
/** numeric(14,2): money is never a float. */
const DecimalAmount = z.string().regex(/^\d{1,12}(\.\d{1,2})?$/, 'must be a decimal string like "100.00"');
const MAILBOX = /^(?:[^<>\r\n]{1,150} <[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)$/;
const Mailbox = z.string().max(200).regex(MAILBOX, 'must be an e-mail address, optionally as "Name <address>"');
const WhatsappLanguage = z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'must be a WhatsApp language code like "ro" or "en_US"');

const WhatsappTemplateSchema = z.strictObject({
  /** The name of a template approved in WhatsApp Manager. */
  name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'a WhatsApp template name is lowercase letters, digits and underscores'),
  language: WhatsappLanguage.optional(),
  params: z.array(z.enum(TEMPLATE_PARAMS)).max(10).optional(),
});

const templatesOf = <T extends z.ZodType>(t: T) => z.strictObject({ shipped: t, out_for_delivery: t, delivered: t }).partial();

/** PATCH: only the given keys are written; null clears an optional value. Unknown keys are refused. */
export const ChannelNotificationsPatchSchema = z
  .strictObject({
    language: z.enum(CUSTOMER_LANGUAGES).nullable(),
    shopify: z.strictObject({ notifyCustomer: z.boolean() }).partial(),
    email: z.strictObject({ shipped: z.boolean(), from: Mailbox.nullable(), replyTo: Mailbox.nullable() }).partial(),
    whatsapp: z
      .strictObject({
        enabled: z.boolean(),
        phoneNumberId: z.string().regex(/^\d{5,20}$/, 'the WhatsApp phone number id is digits').nullable(),
        /** The Cloud API access token in clear; stored sealed, never returned. */
        token: z.string().min(20).max(2000).nullable(),
        language: WhatsappLanguage,
        apiVersion: z.string().regex(/^v\d+\.\d+$/, 'must be a Graph API version like "v21.0"'),
        baseUrl: z.url(),
        templates: templatesOf(WhatsappTemplateSchema.nullable()),
      })
      .partial(),
  })
  .partial();

export const ChannelSettingsPatchSchema = z
  .strictObject({
    /** Store status word → the status an incoming order starts in; replaces the channel's overrides. */
    statusMapIn: z.record(StoreStatusWord, z.enum(INTAKE_STATUSES)),
    /** Expedio order status → the store's status word (WooCommerce); replaces the channel's overrides. */
    statusMapOut: z.partialRecord(z.enum(ORDER_STATUSES), StoreStatusWord),
    priceListId: SettingsId.nullable(),
    defaultWarehouseId: SettingsId.nullable(),
    createInvoice: z.enum(CREATE_INVOICE_TRIGGERS),
    autoCreateDeliveryNote: z.boolean(),
    autoConfirm: z.boolean(),
    approvalRequired: z.boolean(),
    /** Orders above this total await approval; null: every order when approval is required (unless first-order only). */
    approvalMinTotal: DecimalAmount.nullable(),
    approvalFirstOrder: z.boolean(),
    returnWindowDays: z.number().int().min(0).max(365),
    invoiceSeries: z.string().regex(/^[A-Za-z0-9]{1,10}$/, 'must be 1–10 letters or digits'),
    syncIntervalMinutes: z.number().int().min(1).max(1440),
    notifications: ChannelNotificationsPatchSchema,
    /** Write available stock back to the store (Shopify: at each location mapped to a warehouse; WooCommerce: stock_quantity). */
    pushStock: z.boolean(),
    /** The prices on the channel's invoices: the order's (the store's), or the channel's price list (where it prices the product). */
    invoicePrices: z.enum(INVOICE_PRICE_SOURCES),
  })
  .partial()
  .meta({ id: 'ChannelSettingsPatch' });
export type ChannelSettingsPatch = z.infer<typeof ChannelSettingsPatchSchema>;

const WhatsappTemplateOut = z.object({ name: z.string(), language: z.string().optional(), params: z.array(z.enum(TEMPLATE_PARAMS)).optional() });

export const ChannelSettingsSchema = z
  .object({
    channelId: z.string(),
    kind: z.enum(['shopify', 'woocommerce', 'manual']),
    statusMapIn: z.record(z.string(), z.enum(INTAKE_STATUSES)),
    /** What applies to a word the channel does not override. */
    statusMapInDefaults: z.record(z.string(), z.enum(INTAKE_STATUSES)),
    statusMapOut: z.record(z.string(), z.string()),
    statusMapOutDefaults: z.record(z.string(), z.string()),
    priceListId: z.string().nullable(),
    defaultWarehouseId: z.string().nullable(),
    createInvoice: z.enum(CREATE_INVOICE_TRIGGERS),
    autoCreateDeliveryNote: z.boolean(),
    autoConfirm: z.boolean(),
    approvalRequired: z.boolean(),
    approvalMinTotal: z.string().nullable(),
    approvalFirstOrder: z.boolean(),
    returnWindowDays: z.number().int(),
    invoiceSeries: z.string(),
    syncIntervalMinutes: z.number().int(),
    pushStock: z.boolean(),
    invoicePrices: z.enum(INVOICE_PRICE_SOURCES),
    notifications: z.object({
      language: z.enum(CUSTOMER_LANGUAGES),
      shopify: z.object({ notifyCustomer: z.boolean() }),
      email: z.object({ shipped: z.boolean(), from: z.string().nullable(), replyTo: z.string().nullable() }),
      whatsapp: z.object({
        enabled: z.boolean(),
        phoneNumberId: z.string().nullable(),
        /** Whether an access token is stored; the token itself is never returned. */
        tokenSet: z.boolean(),
        language: z.string(),
        apiVersion: z.string(),
        baseUrl: z.string(),
        templates: z.object({ shipped: WhatsappTemplateOut.nullable(), out_for_delivery: WhatsappTemplateOut.nullable(), delivered: WhatsappTemplateOut.nullable() }),
      }),
    }),
  })
  .meta({ id: 'ChannelSettings' });
export type ChannelSettings = z.infer<typeof ChannelSettingsSchema>;
