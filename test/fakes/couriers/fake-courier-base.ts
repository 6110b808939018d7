import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Context, Hono, Next } from 'hono';

/** What every courier fake shares: failure injection, tokens, shipments with advanceable events. */

export type InjectedFailure =
  | { kind: '429'; retryAfterSeconds?: number }
  | { kind: '500' }
  | { kind: '503' }
  /** The create handler makes the AWB, then answers only after `delayMs` (beyond the client timeout). */
  | { kind: 'timeout-after-create'; delayMs: number };

export interface FakeEvent {
  code: string;
  description: string;
  date: string;
  location: string;
}

export interface FakeShipment {
  awb: string;
  reference: string;
  body: unknown;
  events: FakeEvent[];
  cancelled: boolean;
  createdAt: Date;
  meta: Record<string, unknown>;
}

export interface RecordedCall {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body: string;
}

/** Localities the RO fakes know; anything else is the courier's "unknown locality" answer. */
export const KNOWN_RO_LOCALITIES: Record<string, string[]> = {
  Cluj: ['Cluj-Napoca', 'Huedin'],
  Brasov: ['Brasov'],
  Bucuresti: ['Bucuresti', 'Sector 6'],
  Arad: ['Aciuta'],
  Iasi: ['Targu Frumos', 'Iasi'],
  'Bistrita-Nasaud': ['Bistrita'],
};
export const isKnownRoLocality = (county: string | null | undefined, locality: string | null | undefined): boolean => {
  if (!locality) return false;
  const lists = county ? [KNOWN_RO_LOCALITIES[county] ?? []] : Object.values(KNOWN_RO_LOCALITIES);
  return lists.some((l) => l.some((x) => x.toLowerCase() === locality.toLowerCase()));
};

export class FakeCourierState {
  shipments = new Map<string, FakeShipment>();
  calls: RecordedCall[] = [];
  failures: InjectedFailure[] = [];
  tokens = new Map<string, number>();
  logins = 0;
  private seq = 0;
  private pendingTimers = new Set<ReturnType<typeof setTimeout>>();

  failNext(f: InjectedFailure, count = 1): void {
    for (let i = 0; i < count; i++) this.failures.push(f);
  }
  nextSeq(): number {
    return ++this.seq;
  }
  issueToken(ttlMs = 24 * 3600_000): { token: string; expiresAt: Date } {
    this.logins++;
    const token = randomBytes(12).toString('hex');
    const expiresAt = new Date(Date.now() + ttlMs);
    this.tokens.set(token, expiresAt.getTime());
    return { token, expiresAt };
  }
  tokenValid(token: string | undefined | null): boolean {
    if (!token) return false;
    const exp = this.tokens.get(token);
    return exp != null && exp > Date.now();
  }
  /** Every issued token is now expired (the courier answers 401 until the client logs in again). */
  expireTokens(): void {
    for (const k of this.tokens.keys()) this.tokens.set(k, 0);
  }
  /** Removes and returns a queued create delay, if the head of the queue is one. */
  takeCreateDelay(): number | null {
    const head = this.failures[0];
    if (head?.kind !== 'timeout-after-create') return null;
    this.failures.shift();
    return head.delayMs;
  }
  delay(ms: number): Promise<void> {
    return new Promise((r) => {
      const t = setTimeout(() => {
        this.pendingTimers.delete(t);
        r();
      }, ms);
      t.unref();
      this.pendingTimers.add(t);
    });
  }
  addShipment(awb: string, reference: string, body: unknown, meta: Record<string, unknown> = {}): FakeShipment {
    const s: FakeShipment = { awb, reference, body, events: [], cancelled: false, createdAt: new Date(), meta };
    this.shipments.set(awb, s);
    return s;
  }
  byReference(reference: string): FakeShipment[] {
    return [...this.shipments.values()].filter((s) => s.reference === reference);
  }
  /** Appends a tracking event as the courier would report it. */
  advance(awb: string, code: string, description = code, location = 'Cluj-Napoca', date = new Date()): FakeEvent {
    const s = this.shipments.get(awb);
    if (!s) throw new Error(`fake has no AWB ${awb}`);
    const ev = { code, description, location, date: date.toISOString() };
    s.events.push(ev);
    return ev;
  }
  /** Middleware: records calls and answers injected 429/5xx on everything except `isAuthPath`. */
  middleware(isAuthPath: (path: string) => boolean = () => false) {
    return async (c: Context, next: Next) => {
      const url = new URL(c.req.url);
      const body = c.req.method === 'GET' || c.req.method === 'DELETE' ? '' : await c.req.raw.clone().text();
      this.calls.push({ method: c.req.method, path: url.pathname, query: url.search, headers: Object.fromEntries(c.req.raw.headers), body });
      const head = this.failures[0];
      if (head && head.kind !== 'timeout-after-create' && !isAuthPath(url.pathname)) {
        this.failures.shift();
        if (head.kind === '429')
          return c.json({ message: 'Too Many Requests' }, 429, { 'Retry-After': String(head.retryAfterSeconds ?? 1) });
        return c.json({ message: 'Internal Server Error' }, head.kind === '500' ? 500 : 503);
      }
      await next();
    };
  }
}

export async function serveFake(app: Hono): Promise<{ url: string; close(): Promise<void> }> {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** A minimal one-page PDF, as couriers return for labels. */
export async function fakeLabelPdf(awb: string, format: string): Promise<Uint8Array> {
  const { PDFDocument, StandardFonts } = await import('pdf-lib');
  const doc = await PDFDocument.create();
  const size: [number, number] = format === 'A4' ? [595.28, 841.89] : [297.64, 419.53];
  const page = doc.addPage(size);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  page.drawText(`AWB ${awb}`, { x: 20, y: size[1] - 40, size: 14, font });
  return doc.save();
}
