import { z } from 'zod';
import { CUSTOMER_EVENTS, CUSTOMER_LANGUAGES, TEMPLATE_PARAMS } from '../contracts/channel-settings.ts';
import type { SecretBox } from '../shared/secret-box.ts';

export { CUSTOMER_EVENTS, TEMPLATE_PARAMS };
export type CustomerEvent = (typeof CUSTOMER_EVENTS)[number];
export type TemplateParam = (typeof TEMPLATE_PARAMS)[number];

export const DEFAULT_TEMPLATE_PARAMS: Record<CustomerEvent, TemplateParam[]> = {
  shipped: ['customer_name', 'order_number', 'awb', 'tracking_url'],
  out_for_delivery: ['customer_name', 'order_number', 'awb'],
  delivered: ['customer_name', 'order_number'],
};

const templateSchema = z.object({
  name: z.string().min(1).max(512),
  /** Overrides the channel's language for this template, e.g. `en_US`. */
  language: z.string().min(2).max(15).optional(),
  /** The approved template's body variables; defaults per event (DEFAULT_TEMPLATE_PARAMS). */
  params: z.array(z.enum(TEMPLATE_PARAMS)).max(10).optional(),
});

/**
 * `channels.notifications`: how the customer hears about a shipment on this channel. Defaults
 * are conservative where the store already speaks to the customer: Shopify e-mails on a
 * fulfillment when notifyCustomer is set, and a WooCommerce customer note is e-mailed by the store,
 * so our own e-mail is opt-in.
 */
export const channelNotificationsSchema = z.object({
  /** The language of the texts Expedio writes to this channel's customers; absent means Romanian. */
  language: z.enum(CUSTOMER_LANGUAGES).optional(),
  shopify: z.object({ notifyCustomer: z.boolean().default(true) }).prefault({}),
  email: z
    .object({
      shipped: z.boolean().default(false),
      /** Reply-to/From shown to the customer; the SMTP server comes from the tenant's mail settings. */
      from: z.string().min(3).max(200).optional(),
      /** Where the customer's answer goes when it is not the From address. */
      replyTo: z.string().min(3).max(200).optional(),
    })
    .prefault({}),
  whatsapp: z
    .object({
      enabled: z.boolean().default(false),
      phoneNumberId: z.string().regex(/^\d{5,20}$/, 'the WhatsApp phone number id is digits').optional(),
      /** SecretBox-sealed Cloud API access token (`v1.…`); never stored in clear. */
      token: z.string().regex(/^v1\./, 'the token must be stored sealed').optional(),
      language: z.string().min(2).max(15).default('ro'),
      apiVersion: z.string().regex(/^v\d+\.\d+$/).default('v21.0'),
      /** Graph API base URL; tests point it at the fake. */
      baseUrl: z.url().default('https://graph.facebook.com'),
      templates: z.object({ shipped: templateSchema.optional(), out_for_delivery: templateSchema.optional(), delivered: templateSchema.optional() }).prefault({}),
    })
    .prefault({}),
});
export type ChannelNotifications = z.infer<typeof channelNotificationsSchema>;

/**
 * Reads the stored jsonb. A malformed document (hand-edited, older shape) must not stop a
 * write-back: it falls back to the defaults and says why, so the caller can log it.
 */
export function parseChannelNotifications(raw: unknown): { settings: ChannelNotifications; problem: string | null } {
  const r = channelNotificationsSchema.safeParse(raw ?? {});
  if (r.success) return { settings: r.data, problem: null };
  const problem = r.error.issues.map((i) => `${i.path.join('.') || 'notifications'}: ${i.message}`).join('; ');
  return { settings: channelNotificationsSchema.parse({}), problem };
}

export interface WhatsappTarget {
  baseUrl: string;
  apiVersion: string;
  phoneNumberId: string;
  token: string;
  template: string;
  language: string;
  params: TemplateParam[];
}

/** The WhatsApp template to send at `event`, or null when the channel does not send one. */
export function whatsappTargetFor(settings: ChannelNotifications, event: CustomerEvent, box: SecretBox): WhatsappTarget | null {
  const w = settings.whatsapp;
  const tpl = w.templates[event];
  if (!w.enabled || !tpl || !w.phoneNumberId || !w.token) return null;
  return {
    baseUrl: w.baseUrl,
    apiVersion: w.apiVersion,
    phoneNumberId: w.phoneNumberId,
    token: box.open(w.token),
    template: tpl.name,
    language: tpl.language ?? w.language,
    params: tpl.params ?? DEFAULT_TEMPLATE_PARAMS[event],
  };
}

/** True when the channel sends a WhatsApp message at `event` (no secret opened). */
export function sendsWhatsappAt(settings: ChannelNotifications, event: CustomerEvent): boolean {
  const w = settings.whatsapp;
  return w.enabled && !!w.templates[event] && !!w.phoneNumberId && !!w.token;
}
