import { xml2js } from 'xml-js';
import type { Sql, Tx } from '../db/connect.ts';
import { isDomainError } from '../shared/domain-error.ts';
import type { Deps } from '../shared/deps.ts';
import { AnafUnavailable, anafClientFor, type EInvoiceClient } from './anaf-client.ts';
import { type EInvoiceState, transition } from './e-invoice-state.ts';
import { localDate } from './ro-date.ts';
import { readZipEntries } from './zip-entries.ts';

/**
 * ANAF limits (limiteApeluriAPI): 100 status queries and 10 downloads per message per day, 1000
 * calls per minute overall. We stay below with margin: at most 90 queries and 5 downloads a day per
 * message, and a growing interval between queries (most messages are processed within minutes).
 */
export const STATUS_POLLS_PER_DAY = 90;
export const DOWNLOADS_PER_DAY = 5;
export const POLL_SCHEDULE_S = [60, 120, 300, 600, 1800, 3600];
export const pollDelaySeconds = (pollsSoFar: number): number => POLL_SCHEDULE_S[Math.min(pollsSoFar, POLL_SCHEDULE_S.length - 1)]!;
const uploadRetryS = (attempts: number) => Math.min(3600, 30 * 2 ** Math.max(0, attempts - 1));

/** Seconds until 00:05 the next day in Romania, when ANAF's daily counters have started again. */
export function secondsToNextRoDay(now: Date): number {
  const today = localDate(now);
  for (let s = 300; s < 2 * 86_400; s += 300) {
    if (localDate(new Date(now.getTime() + s * 1000)) !== today) return s + 300;
  }
  return 86_400;
}

interface Row {
  id: string;
  tenantId: string;
  invoiceId: string;
  standard: 'UBL' | 'CN';
  state: EInvoiceState;
  xml: string;
  uploadIndex: string | null;
  downloadId: string | null;
  uploadAttempts: number;
  statusPolls: number;
  pollsDay: string | null;
  pollsToday: number;
  downloadsDay: string | null;
  downloadsToday: number;
  cif: string;
  buyerCountry: string;
}

export interface ProcessReport {
  uploaded: number;
  refused: number;
  polled: number;
  ok: number;
  nok: number;
  deferred: number;
  errors: number;
}

/**
 * One bounded pass of the e-invoice worker: uploads pending e-invoices, asks ANAF about those in
 * processing when their next poll is due, downloads and stores the answer. Each e-invoice is handled
 * in its own transaction under a row lock (SKIP LOCKED: parallel workers never take the same one).
 */
export async function processEInvoices(
  deps: Pick<Deps, 'sql' | 'box' | 'now'> & { fetch?: typeof fetch; clientFor?: (tenantId: string) => Promise<EInvoiceClient | null> },
  opts: { batch?: number } = {},
): Promise<ProcessReport> {
  const report: ProcessReport = { uploaded: 0, refused: 0, polled: 0, ok: 0, nok: 0, deferred: 0, errors: 0 };
  const clientFor = deps.clientFor ?? ((t: string) => anafClientFor(deps.sql, deps.box, t, { now: deps.now(), ...(deps.fetch ? { fetch: deps.fetch } : {}) }));
  const due = await deps.sql<{ tenantId: string; id: string }[]>`
    select e.tenant_id::text as "tenantId", e.id::text as id from e_invoices e
    where e.state in ('pending','in_processing') and e.next_poll_at <= ${deps.now()}
      and exists (select 1 from anaf_connections a where a.tenant_id = e.tenant_id and a.access_token_enc is not null)
    order by e.next_poll_at limit ${opts.batch ?? 50}`;
  const clients = new Map<string, EInvoiceClient | null>();
  for (const d of due) {
    if (!clients.has(d.tenantId)) clients.set(d.tenantId, await clientFor(d.tenantId));
    const client = clients.get(d.tenantId);
    if (!client) continue;
    await processOne(deps.sql, client, d.tenantId, d.id, deps.now(), report);
  }
  return report;
}

async function processOne(sql: Sql, client: EInvoiceClient, tenantId: string, id: string, now: Date, report: ProcessReport) {
  await sql.begin(async (tx) => {
    const [row] = await tx<Row[]>`
      select e.id::text, e.tenant_id::text as "tenantId", e.invoice_id::text as "invoiceId", e.standard, e.state, e.xml,
        e.upload_index as "uploadIndex", e.download_id as "downloadId", e.upload_attempts as "uploadAttempts", e.status_polls as "statusPolls",
        to_char(e.polls_day, 'YYYY-MM-DD') as "pollsDay", e.polls_today as "pollsToday",
        to_char(e.downloads_day, 'YYYY-MM-DD') as "downloadsDay", e.downloads_today as "downloadsToday",
        i.seller->>'legalId' as cif, i.buyer->>'countryCode' as "buyerCountry"
      from e_invoices e join invoices i on i.tenant_id = e.tenant_id and i.id = e.invoice_id
      where e.tenant_id = ${tenantId} and e.id = ${id} and e.state in ('pending','in_processing') and e.next_poll_at <= ${now}
      for update of e skip locked`;
    if (!row) return;
    const ref = `E-invoice ${row.id} (invoice ${row.invoiceId})`;
    try {
      if (row.state === 'pending') await upload(tx, client, row, now, ref, report);
      else await poll(tx, client, row, now, ref, report);
    } catch (e) {
      report.errors++;
      const message = e instanceof Error ? e.message : String(e);
      const retryS = isDomainError(e) && e.code === 'NEEDS_RECONNECT' ? 3600 : row.state === 'pending' ? uploadRetryS(row.uploadAttempts + 1) : pollDelaySeconds(row.statusPolls);
      await tx`update e_invoices set last_error = ${message}, upload_attempts = upload_attempts + ${row.state === 'pending' ? 1 : 0},
          next_poll_at = ${new Date(now.getTime() + retryS * 1000)}, updated_at = now()
        where tenant_id = ${tenantId} and id = ${id}`;
      if (!(e instanceof AnafUnavailable) && !isDomainError(e)) throw e;
    }
  });
}

async function upload(tx: Tx, client: EInvoiceClient, row: Row, now: Date, ref: string, report: ProcessReport) {
  const answer = await client.upload(row.xml, { standard: row.standard, cif: row.cif, extern: row.buyerCountry !== 'RO' });
  if (answer.accepted) {
    const state = transition(row.state, 'upload_accepted', ref);
    await tx`update e_invoices set state = ${state}, upload_index = ${answer.uploadIndex}, uploaded_at = ${now}, upload_attempts = upload_attempts + 1,
        status_polls = 0, next_poll_at = ${new Date(now.getTime() + pollDelaySeconds(0) * 1000)}, last_error = null, errors = null,
        history = history || ${tx.json([{ at: now.toISOString(), event: 'uploaded', uploadIndex: answer.uploadIndex }] as never)}, updated_at = now()
      where tenant_id = ${row.tenantId} and id = ${row.id}`;
    report.uploaded++;
  } else {
    const state = transition(row.state, 'upload_refused', ref);
    await tx`update e_invoices set state = ${state}, errors = ${tx.json(answer.errors as never)}, upload_attempts = upload_attempts + 1, last_error = null,
        history = history || ${tx.json([{ at: now.toISOString(), event: 'upload refused', errors: answer.errors }] as never)}, updated_at = now()
      where tenant_id = ${row.tenantId} and id = ${row.id}`;
    report.refused++;
  }
}

async function poll(tx: Tx, client: EInvoiceClient, row: Row, now: Date, ref: string, report: ProcessReport) {
  const today = localDate(now);
  const pollsToday = row.pollsDay === today ? row.pollsToday : 0;
  if (pollsToday >= STATUS_POLLS_PER_DAY) {
    await defer(tx, row, now, 'daily status-query quota used; next query tomorrow');
    report.deferred++;
    return;
  }
  const answer = await client.status(row.uploadIndex!);
  report.polled++;
  await tx`update e_invoices set polls_day = ${today}, polls_today = ${pollsToday + 1}, status_polls = status_polls + 1, updated_at = now()
    where tenant_id = ${row.tenantId} and id = ${row.id}`;
  if (answer.kind === 'error') {
    if (answer.limitReached) {
      await defer(tx, row, now, answer.message);
      report.deferred++;
    } else {
      await tx`update e_invoices set last_error = ${answer.message}, next_poll_at = ${new Date(now.getTime() + pollDelaySeconds(row.statusPolls + 1) * 1000)}
        where tenant_id = ${row.tenantId} and id = ${row.id}`;
      report.errors++;
    }
    return;
  }
  if (answer.state === 'in_processing') {
    await tx`update e_invoices set anaf_state = 'in prelucrare', last_error = null, next_poll_at = ${new Date(now.getTime() + pollDelaySeconds(row.statusPolls + 1) * 1000)}
      where tenant_id = ${row.tenantId} and id = ${row.id}`;
    return;
  }
  if (answer.state === 'xml_errors') {
    const errors = ['XML cu erori nepreluat de sistem'];
    await finish(tx, row, transition(row.state, 'processed_nok', ref), now, { anafState: 'XML cu erori nepreluat de sistem', errors });
    report.nok++;
    return;
  }
  // ok / nok: fetch the ZIP (signed invoice, or ANAF's error report) before recording the outcome.
  const downloadsToday = row.downloadsDay === today ? row.downloadsToday : 0;
  if (downloadsToday >= DOWNLOADS_PER_DAY) {
    await defer(tx, row, now, 'daily download quota used; download tomorrow');
    report.deferred++;
    return;
  }
  const dl = await client.download(answer.downloadId);
  await tx`update e_invoices set downloads_day = ${today}, downloads_today = ${downloadsToday + 1}, download_id = ${answer.downloadId}
    where tenant_id = ${row.tenantId} and id = ${row.id}`;
  if (dl.kind === 'error') {
    if (dl.limitReached) await defer(tx, row, now, dl.message);
    else await tx`update e_invoices set last_error = ${dl.message}, next_poll_at = ${new Date(now.getTime() + pollDelaySeconds(row.statusPolls + 1) * 1000)} where tenant_id = ${row.tenantId} and id = ${row.id}`;
    report.errors++;
    return;
  }
  const entries = readZipEntries(dl.zip);
  const main = [...entries.entries()].find(([name]) => name.endsWith('.xml') && !name.includes('semnatura'));
  const mainXml = main ? main[1].toString('utf8') : null;
  if (answer.state === 'ok') {
    await finish(tx, row, transition(row.state, 'processed_ok', ref), now, { anafState: 'ok', downloadId: answer.downloadId, zip: dl.zip, signedXml: mainXml });
    report.ok++;
  } else {
    await finish(tx, row, transition(row.state, 'processed_nok', ref), now, { anafState: 'nok', downloadId: answer.downloadId, zip: dl.zip, errors: mainXml ? errorMessages(mainXml) : ['ANAF refused the invoice'] });
    report.nok++;
  }
}

/** Error messages from ANAF's error report (<Error errorMessage="…"/> elements, any namespace). */
export function errorMessages(xml: string): string[] {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      if (k === '_attributes') {
        const m = (v as Record<string, string>).errorMessage;
        if (m) out.push(m);
      } else for (const c of Array.isArray(v) ? v : [v]) walk(c);
    }
  };
  walk(xml2js(xml, { compact: true }));
  return out.length ? out : ['ANAF refused the invoice (no message in the report)'];
}

async function defer(tx: Tx, row: Row, now: Date, why: string) {
  await tx`update e_invoices set last_error = ${why}, next_poll_at = ${new Date(now.getTime() + secondsToNextRoDay(now) * 1000)}
    where tenant_id = ${row.tenantId} and id = ${row.id}`;
}

async function finish(tx: Tx, row: Row, state: EInvoiceState, now: Date, r: { anafState: string; downloadId?: string; zip?: Uint8Array; signedXml?: string | null; errors?: string[] }) {
  await tx`update e_invoices set state = ${state}, anaf_state = ${r.anafState}, download_id = coalesce(${r.downloadId ?? null}, download_id),
      response_zip = ${r.zip ? Buffer.from(r.zip) : null}, signed_xml = ${r.signedXml ?? null}, errors = ${r.errors ? tx.json(r.errors as never) : null},
      last_error = null, history = history || ${tx.json([{ at: now.toISOString(), event: r.anafState, downloadId: r.downloadId ?? null, errors: r.errors ?? null }] as never)},
      updated_at = now()
    where tenant_id = ${row.tenantId} and id = ${row.id}`;
}

/** e-Factura states for the report: refused first, then those still waiting, newest first. */
export async function eInvoiceReport(db: Sql | Tx, tenantId: string, f: { state?: EInvoiceState; limit?: number } = {}) {
  return db<Array<Record<string, unknown>>>`
    select e.id::text, e.invoice_id::text as "invoiceId", i.full_number as "invoiceNumber", i.kind, e.standard, e.state, e.anaf_state as "anafState",
      e.upload_index as "uploadIndex", e.download_id as "downloadId", e.errors, e.last_error as "lastError", e.submission,
      e.next_poll_at as "nextPollAt", e.updated_at as "updatedAt", i.buyer->>'name' as "buyerName"
    from e_invoices e join invoices i on i.tenant_id = e.tenant_id and i.id = e.invoice_id
    where e.tenant_id = ${tenantId} and (${f.state ?? null}::text is null or e.state = ${f.state ?? null})
    order by case e.state when 'nok' then 0 when 'pending' then 1 when 'in_processing' then 2 else 3 end, e.updated_at desc, e.id desc
    limit ${f.limit ?? 200}`;
}
