import { DomainError } from '../shared/domain-error.ts';

export interface WhatsappTemplateMessage {
  baseUrl: string;
  apiVersion: string;
  phoneNumberId: string;
  token: string;
  /** E.164 digits, with or without the leading +. */
  to: string;
  template: string;
  language: string;
  bodyParameters: string[];
  /** Echoed back in Meta's status webhooks; we put our idempotency key in it for tracing. */
  callbackData?: string;
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
}

interface GraphErrorBody {
  error?: { message?: string; type?: string; code?: number; error_subcode?: number; fbtrace_id?: string; error_data?: { details?: string } };
}

/**
 * Sends one approved template through the WhatsApp Cloud API. No retry here: the outbox retries
 * with back-off, and the Graph API has no idempotency key, so a blind in-call resend after a lost
 * answer is exactly how customers get two messages. Errors become DomainErrors naming Meta's code.
 */
export async function sendWhatsappTemplate(m: WhatsappTemplateMessage): Promise<{ messageId: string }> {
  const url = `${m.baseUrl.replace(/\/+$/, '')}/${m.apiVersion}/${encodeURIComponent(m.phoneNumberId)}/messages`;
  const body = {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: m.to.replace(/^\+/, ''),
    type: 'template',
    template: {
      name: m.template,
      language: { code: m.language },
      components: m.bodyParameters.length ? [{ type: 'body', parameters: m.bodyParameters.map((text) => ({ type: 'text', text })) }] : [],
    },
    ...(m.callbackData ? { biz_opaque_callback_data: m.callbackData } : {}),
  };
  let res: Response;
  try {
    res = await (m.fetch ?? globalThis.fetch)(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${m.token}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(m.timeoutMs ?? 20_000),
    });
  } catch (e) {
    throw new DomainError('UPSTREAM', `WhatsApp Cloud API could not be reached: ${(e as Error).message}.`);
  }
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // an HTML error page from a proxy: reported by status below
  }
  if (res.ok) {
    const id = (parsed as { messages?: { id?: string }[] } | null)?.messages?.[0]?.id;
    if (!id) throw new DomainError('UPSTREAM', `WhatsApp Cloud API answered HTTP ${res.status} without a message id.`);
    return { messageId: id };
  }
  const err = (parsed as GraphErrorBody | null)?.error;
  const what = err
    ? `${err.message ?? 'no message'} (code ${err.code ?? '?'}${err.error_subcode ? `/${err.error_subcode}` : ''}${err.error_data?.details ? `: ${err.error_data.details}` : ''})`
    : `HTTP ${res.status}`;
  if (res.status === 401 || err?.code === 190) {
    throw new DomainError('NEEDS_RECONNECT', `WhatsApp Cloud API rejected the access token: ${what}; store a new token in the channel's notification settings.`);
  }
  if (res.status === 429 || err?.code === 130429 || err?.code === 131056 || err?.code === 80007) {
    throw new DomainError('RATE_LIMITED', `WhatsApp Cloud API rate limit hit: ${what}.`);
  }
  if (res.status >= 500) throw new DomainError('UPSTREAM', `WhatsApp Cloud API failed: ${what}.`);
  throw new DomainError('VALIDATION', `WhatsApp Cloud API refused template "${m.template}" (${m.language}): ${what}.`, [
    { path: 'notifications.whatsapp', reason: what },
  ]);
}

// Country calling codes for the markets we ship in; a local number ("0722…") needs its country's.
const CALLING_CODES: Record<string, string> = { RO: '40', MD: '373', BG: '359', HU: '36', EG: '20', DE: '49', AT: '43', IT: '39', FR: '33', ES: '34', GB: '44' };

/** The recipient in international digits, or null when the number cannot be made international. */
export function whatsappRecipient(phone: string | null | undefined, countryCode: string | null | undefined): string | null {
  if (!phone) return null;
  const trimmed = phone.trim();
  let digits = trimmed.replace(/\D/g, '');
  if (trimmed.startsWith('+')) return digits.length >= 8 ? digits : null;
  if (digits.startsWith('00')) digits = digits.slice(2);
  else if (digits.startsWith('0')) {
    const cc = CALLING_CODES[(countryCode ?? '').toUpperCase()];
    if (!cc) return null;
    digits = cc + digits.slice(1);
  }
  return digits.length >= 8 && digits.length <= 15 ? digits : null;
}
