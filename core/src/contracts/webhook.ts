/**
 * What a receiver of an inbound callback (Shopify, WooCommerce, a courier push) decided; `http/`
 * turns it into the answer. Accepted covers stored, duplicate and ignored deliveries alike: each is
 * acknowledged so the sender stops retrying.
 */
export type WebhookOutcome =
  | { kind: 'accepted'; result: Record<string, unknown> }
  | { kind: 'rejected'; reason: WebhookRejection; message: string; details: Array<{ path: string; reason: string }> };

/** unauthenticated: no or a bad signature; invalid: unreadable input; not_found: the channel (or the thing announced) is unknown. */
export type WebhookRejection = 'unauthenticated' | 'invalid' | 'not_found';

/** The request headers a receiver reads: a fetch `Headers`, or the core's view of a Node request's own headers (http/routes/webhooks.ts). */
export type HeaderReader = Pick<Headers, 'get'>;

export const accepted = (result: Record<string, unknown>): WebhookOutcome => ({ kind: 'accepted', result });

export const rejected = (reason: WebhookRejection, message: string, details: Array<{ path: string; reason: string }>): WebhookOutcome => ({
  kind: 'rejected',
  reason,
  message,
  details,
});
