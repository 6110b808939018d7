import { z } from '@hono/zod-openapi';
import { getSmtpSettings, saveSmtpSettings, testSmtpSettings } from '../../notifications/index.ts';
import type { Deps } from '../../shared/deps.ts';
import { DomainError } from '../../shared/domain-error.ts';
import { createApiRouter, errors, json, jsonBody, route, tenantOf } from '../openapi.ts';

const SmtpView = z.object({
  host: z.string(),
  port: z.number(),
  secure: z.boolean(),
  username: z.string().nullable(),
  passwordSet: z.boolean().meta({ description: 'The password is sealed at rest and never returned' }),
  from: z.string(),
  updatedAt: z.string(),
});

const SmtpInput = z.object({
  host: z.string().trim().min(1).max(253).meta({ example: 'smtp.example.ro' }),
  port: z.number().int().min(1).max(65535).meta({ example: 587 }),
  secure: z.boolean().default(false).meta({ description: 'true: TLS from the first byte (465); false: STARTTLS when the server offers it' }),
  username: z.string().max(320).nullable().optional(),
  password: z.string().max(1024).nullable().optional().meta({ description: 'Omit to keep the stored one; null clears it. Sealed at rest, never returned.' }),
  from: z.string().trim().min(3).max(200).meta({ example: 'Magazin Exemplu <comenzi@exemplu.ro>' }),
});

/** The tenant's SMTP server for invoices and shipped e-mails (WhatsApp credentials are channel settings: PATCH /channels/{id}/settings). */
export function notificationSettingsRouter(deps: Deps) {
  const api = createApiRouter();

  api.openapi(
    route('get', '/notifications/smtp', {
      summary: "The tenant's SMTP server (password only as passwordSet)",
      responses: { 200: json(SmtpView, 'SMTP settings'), ...errors },
    }),
    async (c) => {
      const s = await getSmtpSettings(deps.sql, tenantOf(c));
      if (!s) throw new DomainError('NOT_FOUND', 'This tenant has no SMTP settings yet; PUT /api/v1/notifications/smtp sets them.', [{ path: 'smtp', reason: 'not set' }]);
      return c.json(s, 200);
    },
  );

  api.openapi(
    route('put', '/notifications/smtp', {
      summary: "Save the tenant's SMTP server; every e-mail Expedio sends (invoices, shipped notices) goes through it",
      description: 'Wins over the invoicing profile smtpUrl and EXPEDIO_SMTP_URL. The password is sealed with the master key; omit it to keep the stored one.',
      request: { body: jsonBody(SmtpInput) },
      responses: { 200: json(SmtpView, 'Saved'), ...errors },
    }),
    async (c) => c.json(await saveSmtpSettings(deps.sql, deps.box, tenantOf(c), c.req.valid('json')), 200),
  );

  api.openapi(
    route('post', '/notifications/smtp/test', {
      summary: 'Connect to the saved SMTP server and log in (no message is sent); the server refusing is answered ok false with its reply',
      responses: {
        200: json(z.union([z.object({ ok: z.literal(true) }), z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) })]), 'What the server answered'),
        ...errors,
      },
    }),
    async (c) => c.json(await testSmtpSettings(deps.sql, deps.box, tenantOf(c)), 200),
  );

  return api;
}
