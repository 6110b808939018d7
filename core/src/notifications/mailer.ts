import { publicConnectHost } from '../shared/public-host.ts';

export interface MailSettings {
  /** smtp://user:pass@host:port or smtps://…; per tenant, else EXPEDIO_SMTP_URL. */
  smtpUrl: string;
  from: string;
  /** The tenant's SMTP settings (notifications/smtp-settings.ts) when saved; wins over smtpUrl. */
  smtp?: SmtpTransport;
}

export interface SmtpTransport {
  host: string;
  port: number;
  secure: boolean;
  auth?: { user: string; pass: string };
}

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  replyTo?: string;
  /** Stable per message so a retried send can be recognised by the receiving side. */
  messageId: string;
  attachments?: Array<{ filename: string; content: Uint8Array; contentType: string }>;
}

export function mailSettingsFor(tenant: { smtpUrl: string | null; mailFrom: string | null }, env: NodeJS.ProcessEnv = process.env): MailSettings | null {
  const smtpUrl = tenant.smtpUrl ?? env.EXPEDIO_SMTP_URL ?? null;
  if (!smtpUrl) return null;
  return { smtpUrl, from: tenant.mailFrom ?? env.EXPEDIO_MAIL_FROM ?? 'no-reply@expedio.local' };
}

/**
 * The transport options with the server's host resolved now and checked as every outbound call
 * is (shared/outbound-guard.ts): a host re-pointed at a private address since it was saved is
 * refused here, and the connection goes to the address checked, TLS verified against the name.
 */
export async function smtpConnectOptions(settings: Pick<MailSettings, 'smtp' | 'smtpUrl'>): Promise<Record<string, unknown>> {
  if (settings.smtp) {
    const pinned = await publicConnectHost(settings.smtp.host);
    return { ...settings.smtp, host: pinned.host, ...(pinned.servername ? { servername: pinned.servername } : {}) };
  }
  const url = new URL(settings.smtpUrl);
  const pinned = await publicConnectHost(url.hostname);
  if (!pinned.servername) return { url: settings.smtpUrl };
  // nodemailer takes the URL's host over an option's: the address goes into the URL itself.
  url.hostname = pinned.host.includes(':') ? `[${pinned.host}]` : pinned.host;
  return { url: url.toString(), servername: pinned.servername };
}

/** Sends one message over SMTP; throws on any refusal so the outbox retries it. */
export async function sendMail(settings: MailSettings, mail: OutgoingMail): Promise<{ messageId: string }> {
  // Short timeouts (nodemailer's defaults wait minutes): an SMTP server that hangs costs one outbox slot briefly, and the outbox retries.
  const nodemailer = (await import('nodemailer')).default; // on first send: tens of MiB the intake path never needs
  const timeouts = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };
  const transport = nodemailer.createTransport({ ...(await smtpConnectOptions(settings)), ...timeouts });
  try {
    const info = await transport.sendMail({
      from: settings.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      ...(mail.html ? { html: mail.html } : {}),
      ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
      messageId: mail.messageId,
      attachments: (mail.attachments ?? []).map((a) => ({ filename: a.filename, content: Buffer.from(a.content), contentType: a.contentType })),
    });
    return { messageId: String(info.messageId) };
  } finally {
    transport.close();
  }
}
