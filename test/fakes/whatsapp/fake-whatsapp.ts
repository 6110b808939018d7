import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type Context, Hono } from 'hono';

/**
 * A fake WhatsApp Cloud API (Graph API) for template messages:
 * `POST /{version}/{phone-number-id}/messages` with a Bearer token. Answers as Meta does:
 * `{ messaging_product, contacts[{input, wa_id}], messages[{id: "wamid…"}] }` on success, and
 * `{ error: { message, type, code, error_subcode?, fbtrace_id } }` on failure — 401/190 for a bad
 * token, 400/100 for an unknown phone number id or a malformed body, 404/132001 for a template
 * (or language) that is not approved, 400/132000 for a wrong body-parameter count, 429/130429 when
 * the throughput limit is hit, 500/131000 for "something went wrong".
 */

export interface FakeWhatsappTemplate {
  /** Approved language codes, e.g. ['ro', 'en_US']. */
  languages: string[];
  /** Number of {{n}} variables in the template body. */
  bodyParams: number;
}

export interface FakeWhatsappOptions {
  phoneNumberId: string;
  accessToken: string;
  templates: Record<string, FakeWhatsappTemplate>;
}

export interface FakeWhatsappMessage {
  id: string;
  to: string;
  template: string;
  language: string;
  bodyParameters: string[];
  bizOpaqueCallbackData: string | null;
}

export type FakeWhatsappFailure = '429' | '500' | '401';

export interface FakeWhatsapp {
  url: string;
  messages: FakeWhatsappMessage[];
  /** Every POST received, failed ones included. */
  readonly calls: number;
  failNext(kind: FakeWhatsappFailure, count?: number): void;
  close(): Promise<void>;
}

export async function startFakeWhatsapp(options: FakeWhatsappOptions): Promise<FakeWhatsapp> {
  const messages: FakeWhatsappMessage[] = [];
  const failures: FakeWhatsappFailure[] = [];
  let calls = 0;

  const graphError = (c: Context, status: number, code: number, type: string, message: string, extra: Record<string, unknown> = {}) =>
    c.json({ error: { message, type, code, ...extra, fbtrace_id: randomBytes(9).toString('base64url') } }, status as 400);

  const app = new Hono();
  app.post('/:version/:phoneNumberId/messages', async (c) => {
    calls++;
    const forced = failures.shift();
    if (forced === '429') return graphError(c, 429, 130429, 'OAuthException', '(#130429) Rate limit hit');
    if (forced === '500') return graphError(c, 500, 131000, 'OAuthException', '(#131000) Something went wrong');
    const auth = c.req.header('authorization') ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(auth)?.[1];
    if (forced === '401' || !token || token !== options.accessToken) {
      return graphError(c, 401, 190, 'OAuthException', 'Invalid OAuth access token - Cannot parse access token');
    }
    if (!/^v\d+\.\d+$/.test(c.req.param('version'))) {
      return graphError(c, 400, 2500, 'OAuthException', `Unknown path components: /${c.req.param('version')}`);
    }
    const phoneNumberId = c.req.param('phoneNumberId');
    if (phoneNumberId !== options.phoneNumberId) {
      return graphError(
        c,
        400,
        100,
        'GraphMethodException',
        `Unsupported post request. Object with ID '${phoneNumberId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
        { error_subcode: 33 },
      );
    }
    let body: Record<string, unknown>;
    try {
      body = (await c.req.json()) as Record<string, unknown>;
    } catch {
      return graphError(c, 400, 100, 'OAuthException', '(#100) The request body is not valid JSON');
    }
    if (body['messaging_product'] !== 'whatsapp') {
      return graphError(c, 400, 100, 'OAuthException', '(#100) The parameter messaging_product is required.');
    }
    const to = body['to'];
    if (typeof to !== 'string' || !/^\+?\d{7,15}$/.test(to)) {
      return graphError(c, 400, 100, 'OAuthException', '(#100) Invalid parameter', { error_data: { details: 'to must be a phone number in international format' } });
    }
    if (body['type'] !== 'template') {
      return graphError(c, 400, 131008, 'OAuthException', '(#131008) Required parameter is missing', { error_data: { details: 'this fake only sends templates' } });
    }
    const tpl = (body['template'] ?? {}) as Record<string, unknown>;
    const name = typeof tpl['name'] === 'string' ? tpl['name'] : '';
    const language = ((tpl['language'] ?? {}) as Record<string, unknown>)['code'];
    const known = options.templates[name];
    if (!known || typeof language !== 'string' || !known.languages.includes(language)) {
      return graphError(c, 404, 132001, 'OAuthException', '(#132001) Template name does not exist in the translation', {
        error_data: { messaging_product: 'whatsapp', details: `template name (${name}) does not exist in ${String(language)}` },
      });
    }
    const components = Array.isArray(tpl['components']) ? (tpl['components'] as Record<string, unknown>[]) : [];
    const bodyComponent = components.find((x) => x['type'] === 'body');
    const params = Array.isArray(bodyComponent?.['parameters']) ? (bodyComponent['parameters'] as Record<string, unknown>[]) : [];
    if (params.some((p) => p['type'] !== 'text' || typeof p['text'] !== 'string' || p['text'] === '')) {
      return graphError(c, 400, 100, 'OAuthException', '(#100) Invalid parameter', { error_data: { details: 'body parameters must be non-empty text' } });
    }
    if (params.length !== known.bodyParams) {
      return graphError(c, 400, 132000, 'OAuthException', '(#132000) Number of parameters does not match the expected number of params', {
        error_data: { messaging_product: 'whatsapp', details: `body: number of localizable_params (${params.length}) does not match the expected number of params (${known.bodyParams})` },
      });
    }
    const id = `wamid.${randomBytes(24).toString('base64url')}`;
    messages.push({
      id,
      to,
      template: name,
      language,
      bodyParameters: params.map((p) => String(p['text'])),
      bizOpaqueCallbackData: typeof body['biz_opaque_callback_data'] === 'string' ? body['biz_opaque_callback_data'] : null,
    });
    return c.json({ messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to.replace(/^\+/, '') }], messages: [{ id }] });
  });
  app.notFound((c) => graphError(c, 400, 2500, 'OAuthException', `Unknown path components: ${new URL(c.req.url).pathname}`));

  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => (server.listening ? r() : server.once('listening', () => r())));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    messages,
    get calls() {
      return calls;
    },
    failNext(kind, count = 1) {
      for (let i = 0; i < count; i++) failures.push(kind);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
