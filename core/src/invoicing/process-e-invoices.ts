import { randomUUID } from 'node:crypto';
import { xml2js } from 'xml-js';
import type { Sql, Tx } from '../db/connect.ts';
import { isDomainError } from '../shared/domain-error.ts';
import type { Deps } from '../shared/deps.ts';
import { AnafNotSent, AnafUnavailable, anafClientFor, type EInvoiceClient, noteAnafReconnect, type StatusAnswer } from './anaf-client.ts';
import { type EInvoiceState, transition } from './e-invoice-state.ts';
import { officialRulesGate, type PreUploadGate } from './pre-upload-gate.ts';
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

/** A claim lasts this long: the gate, one upload (60 s timeout) or a status query and a download fit well inside. */
export const CLAIM_LEASE_S = 300;
/** After an upload whose answer was lost, the message list is searched this long before sending again. */
export const LOST_ANSWER_LOOKUP_S = 900;
const LOOKUP_RETRY_S = 300;
/** Consecutive error answers to status queries or downloads before the e-invoice is held for the operator. */
export const MAX_ERROR_STREAK = 10;
const RECONNECT_RETRY_S = 3600;

interface Row {
  id: string;
  tenantId: string;
  invoiceId: string;
  invoiceNumber: string;
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
  uploadSentAt: Date | null;
  errorStreak: number;
  cif: string;
  buyerCountry: string;
  buyerIsCompany: boolean;
}

export interface ProcessReport {
  uploaded: number;
  refused: number;
  held: number;
  polled: number;
  ok: number;
  nok: number;
  deferred: number;
  errors: number;
  /** Uploads whose answer was lost, found registered in ANAF's message list (not sent again). */
  found: number;
}

type ProcessDeps = Pick<Deps, 'sql' | 'box' | 'now'> & {
  fetch?: typeof fetch;
  clientFor?: (tenantId: string) => Promise<EInvoiceClient | null>;
  /** The official rules and XSD before every upload (tools/efactura); replaced only by tests of the worker's own logic. */
  gate?: PreUploadGate;
};

/**
 * One bounded pass of the e-invoice worker: uploads pending e-invoices, asks ANAF about those in
 * processing when their next poll is due, downloads and stores the answer. No call to ANAF is made
 * inside a transaction: an e-invoice is claimed (row lock with SKIP LOCKED, then a lease so
 * parallel workers never take the same one, and the limits it will use counted) and committed,
 * the call is made, and its answer recorded in a second short transaction by the claim holder.
 */
export async function processEInvoices(deps: ProcessDeps, opts: { batch?: number } = {}): Promise<ProcessReport> {
  const report: ProcessReport = { uploaded: 0, refused: 0, held: 0, polled: 0, ok: 0, nok: 0, deferred: 0, errors: 0, found: 0 };
  const clientFor = deps.clientFor ?? ((t: string) => anafClientFor(deps.sql, deps.box, t, { now: deps.now, ...(deps.fetch ? { fetch: deps.fetch } : {}) }));
  const due = await deps.sql<{ tenantId: string; id: string }[]>`
    select e.tenant_id::text as "tenantId", e.id::text as id from e_invoices e
    where e.state in ('pending','in_processing') and e.next_poll_at <= ${deps.now()} and (e.claimed_until is null or e.claimed_until < ${deps.now()})
      and exists (select 1 from anaf_connections a where a.tenant_id = e.tenant_id and a.access_token_enc is not null)
    order by e.next_poll_at limit ${opts.batch ?? 50}`;
  const clients = new Map<string, EInvoiceClient | null>();
  for (const d of due) {
    if (!clients.has(d.tenantId)) clients.set(d.tenantId, await clientFor(d.tenantId));
    const client = clients.get(d.tenantId);
    if (!client) continue;
    await processOne(deps.sql, client, deps.gate ?? officialRulesGate, d.tenantId, d.id, deps.now(), report);
  }
  return report;
}

type Action = 'upload' | 'lookup' | 'status';

/** The claim: one short transaction that takes the row, decides the call and counts it. */
async function claim(sql: Sql, tenantId: string, id: string, now: Date, token: string, report: ProcessReport): Promise<{ row: Row; action: Action } | null> {
  return sql.begin(async (tx) => {
    const [row] = await tx<Row[]>`
      select e.id::text, e.tenant_id::text as "tenantId", e.invoice_id::text as "invoiceId", i.full_number as "invoiceNumber", e.standard, e.state, e.xml,
        e.upload_index as "uploadIndex", e.download_id as "downloadId", e.upload_attempts as "uploadAttempts", e.status_polls as "statusPolls",
        to_char(e.polls_day, 'YYYY-MM-DD') as "pollsDay", e.polls_today as "pollsToday",
        to_char(e.downloads_day, 'YYYY-MM-DD') as "downloadsDay", e.downloads_today as "downloadsToday",
        e.upload_sent_at as "uploadSentAt", e.error_streak as "errorStreak",
        i.seller->>'legalId' as cif, i.buyer->>'countryCode' as "buyerCountry", coalesce((i.buyer->>'isCompany')::boolean, true) as "buyerIsCompany"
      from e_invoices e join invoices i on i.tenant_id = e.tenant_id and i.id = e.invoice_id
      where e.tenant_id = ${tenantId} and e.id = ${id} and e.state in ('pending','in_processing') and e.next_poll_at <= ${now}
        and (e.claimed_until is null or e.claimed_until < ${now})
      for update of e skip locked`;
    if (!row) return null;
    const action: Action = row.state === 'in_processing' ? 'status' : row.uploadSentAt && row.cif ? 'lookup' : 'upload';
    const today = localDate(now);
    const pollsToday = row.pollsDay === today ? row.pollsToday : 0;
    if (action === 'status' && pollsToday >= STATUS_POLLS_PER_DAY) {
      await defer(tx, row, now, 'daily status-query quota used; next query tomorrow');
      report.deferred++;
      return null;
    }
    // A status query is counted before the call: one that times out was still made and counts at ANAF.
    const counts = action === 'status';
    await tx`update e_invoices set claim_token = ${token}, claimed_until = ${new Date(now.getTime() + CLAIM_LEASE_S * 1000)},
        polls_day = case when ${counts} then ${today}::date else polls_day end, polls_today = case when ${counts} then ${pollsToday + 1} else polls_today end,
        status_polls = status_polls + ${counts ? 1 : 0}
      where tenant_id = ${tenantId} and id = ${id}`;
    if (counts) row.statusPolls++;
    return { row, action };
  });
}

/** Writes what the call found, only while the claim is still ours; the claim ends with it. */
async function record(sql: Sql, row: Row, token: string, write: (tx: Tx) => Promise<unknown>): Promise<void> {
  await sql.begin(async (tx) => {
    const [mine] = await tx`update e_invoices set claim_token = null, claimed_until = null, updated_at = now()
      where tenant_id = ${row.tenantId} and id = ${row.id} and claim_token = ${token} returning 1`;
    if (!mine) return; // the lease ran out and another worker took over: its record wins
    await write(tx);
  });
}

async function processOne(sql: Sql, client: EInvoiceClient, gate: PreUploadGate, tenantId: string, id: string, now: Date, report: ProcessReport) {
  const token = randomUUID();
  const claimed = await claim(sql, tenantId, id, now, token, report);
  if (!claimed) return;
  const { row, action } = claimed;
  const ref = `E-invoice ${row.id} (invoice ${row.invoiceId})`;
  const at = (s: number) => new Date(now.getTime() + s * 1000);
  try {
    if (action === 'status') await poll(sql, client, row, token, now, ref, report);
    else await send(sql, client, gate, row, token, now, ref, action, report);
  } catch (e) {
    report.errors++;
    const message = e instanceof Error ? e.message : String(e);
    const reconnect = isDomainError(e) && e.code === 'NEEDS_RECONNECT';
    const pending = row.state === 'pending';
    // Not sent at all (our minute count full, HTTP 429): try in the next minute, nothing to look up.
    const notSent = e instanceof AnafNotSent || reconnect;
    const retryS = reconnect ? RECONNECT_RETRY_S : notSent ? 60 : pending ? uploadRetryS(row.uploadAttempts + 1) : pollDelaySeconds(row.statusPolls);
    await record(sql, row, token, async (tx) => {
      if (reconnect) await noteAnafReconnect(tx, tenantId, message);
      await tx`update e_invoices set last_error = ${message}, next_poll_at = ${at(retryS)},
          upload_sent_at = case when ${notSent} then null else upload_sent_at end
        where tenant_id = ${tenantId} and id = ${id}`;
    });
    if (!(e instanceof AnafUnavailable) && !isDomainError(e)) throw e;
  }
}

const documentKey = (xml: string) => ({ number: /<cbc:ID>([^<]*)<\/cbc:ID>/.exec(xml)?.[1] ?? null, issueDate: /<cbc:IssueDate>([^<]*)<\/cbc:IssueDate>/.exec(xml)?.[1] ?? null });

/**
 * After an upload whose answer never came (timeout, lost connection, crash) the file may be
 * registered at ANAF. Sending it again would register the invoice twice, so the invoices sent for
 * this CIF since that upload are listed (paginated list: 100,000 queries a day allowed) and each
 * one we do not know is downloaded and compared by number and issue date. Refused files
 * ("ERORI FACTURA") are not registered invoices: sending again after one is harmless.
 */
async function findLostUpload(sql: Sql, client: EInvoiceClient, row: Row, now: Date): Promise<string | null | 'unavailable'> {
  const ours = documentKey(row.xml);
  const from = new Date(row.uploadSentAt!.getTime() - 120_000);
  for (let page = 1; ; page++) {
    const list = await client.listMessages({ cif: row.cif, from, to: now, page, filter: 'T' });
    if (list.kind === 'error') return list.errorKind === 'refused' ? null : 'unavailable';
    const candidates = list.messages.filter((m) => m.type === 'FACTURA TRIMISA');
    const known = candidates.length
      ? new Set((await sql<{ i: string }[]>`select upload_index as i from e_invoices where tenant_id = ${row.tenantId} and upload_index in ${sql(candidates.map((m) => m.uploadIndex))}`).map((r) => r.i))
      : new Set<string>();
    for (const m of candidates.filter((c) => !known.has(c.uploadIndex))) {
      const dl = await client.download(m.id);
      if (dl.kind !== 'zip') continue;
      const main = [...readZipEntries(dl.zip).entries()].find(([name]) => name.endsWith('.xml') && !name.includes('semnatura'));
      const theirs = main ? documentKey(main[1].toString('utf8')) : null;
      if (theirs && theirs.number === ours.number && theirs.issueDate === ours.issueDate) return m.uploadIndex;
    }
    if (page >= list.pages) return null;
  }
}

async function send(sql: Sql, client: EInvoiceClient, gate: PreUploadGate, row: Row, token: string, now: Date, ref: string, action: 'upload' | 'lookup', report: ProcessReport) {
  if (action === 'lookup') {
    const found = await findLostUpload(sql, client, row, now);
    if (found === 'unavailable') throw new AnafUnavailable('the message list could not be read; the lost upload is looked up again later');
    if (found) {
      await record(sql, row, token, (tx) => accepted(tx, row, now, ref, found, 'found in the message list after a lost answer'));
      report.found++;
      return;
    }
    // ANAF lists a message once it processed it: within the window, absence proves nothing yet.
    if (now.getTime() - row.uploadSentAt!.getTime() < LOST_ANSWER_LOOKUP_S * 1000) {
      await record(sql, row, token, (tx) => tx`update e_invoices set last_error = 'upload answer lost; not yet in the message list', next_poll_at = ${new Date(now.getTime() + LOOKUP_RETRY_S * 1000)} where tenant_id = ${row.tenantId} and id = ${row.id}`);
      report.deferred++;
      return;
    }
  }
  const verdict = await gate(row.xml);
  if (verdict.fatalIds.length) {
    await record(sql, row, token, (tx) =>
      tx`update e_invoices set state = ${transition(row.state, 'gate_failed', ref)}, held_reason = 'fails the official e-Factura rules', held_rules = ${tx.json(verdict.fatalIds as never)},
          held_at = ${now}, errors = ${tx.json(verdict.messages as never)}, upload_sent_at = null, last_error = null,
          history = history || ${tx.json([{ at: now.toISOString(), event: 'held before upload', rules: verdict.fatalIds }] as never)}
        where tenant_id = ${row.tenantId} and id = ${row.id}`,
    );
    report.held++;
    return;
  }
  // Marked before the call and kept if no answer is recorded: the next attempt looks the file up first.
  await sql`update e_invoices set upload_sent_at = ${now}, upload_attempts = upload_attempts + 1 where tenant_id = ${row.tenantId} and id = ${row.id} and claim_token = ${token}`;
  const answer = await client.upload(row.xml, { standard: row.standard, cif: row.cif, extern: row.buyerCountry !== 'RO', b2c: !row.buyerIsCompany });
  if (answer.accepted) {
    await record(sql, row, token, (tx) => accepted(tx, row, now, ref, answer.uploadIndex, 'uploaded'));
    report.uploaded++;
    return;
  }
  if (answer.kind === 'refused') {
    await record(sql, row, token, (tx) =>
      tx`update e_invoices set state = ${transition(row.state, 'upload_refused', ref)}, errors = ${tx.json(answer.errors as never)}, last_error = null, upload_sent_at = null,
          history = history || ${tx.json([{ at: now.toISOString(), event: 'upload refused', errors: answer.errors }] as never)}
        where tenant_id = ${row.tenantId} and id = ${row.id}`,
    );
    report.refused++;
    return;
  }
  // Not final: a technical error is retried with back-off, missing SPV rights wait for a reconnect,
  // a used-up daily limit waits for the next Romanian day. The file was answered, so not registered.
  const message = answer.errors.join('; ');
  const retryS = answer.kind === 'temporary' ? uploadRetryS(row.uploadAttempts + 1) : answer.kind === 'access' ? RECONNECT_RETRY_S : secondsToNextRoDay(now);
  await record(sql, row, token, async (tx) => {
    if (answer.kind === 'access') await noteAnafReconnect(tx, row.tenantId, message);
    await tx`update e_invoices set last_error = ${message}, upload_sent_at = null, error_streak = error_streak + 1, next_poll_at = ${new Date(now.getTime() + retryS * 1000)},
        history = history || ${tx.json([{ at: now.toISOString(), event: `upload answered ${answer.kind} error`, errors: answer.errors }] as never)}
      where tenant_id = ${row.tenantId} and id = ${row.id}`;
  });
  if (answer.kind === 'limit') report.deferred++;
  else report.errors++;
}

async function accepted(tx: Tx, row: Row, now: Date, ref: string, uploadIndex: string, event: string) {
  const state = transition(row.state, 'upload_accepted', ref);
  await tx`update e_invoices set state = ${state}, upload_index = ${uploadIndex}, uploaded_at = ${now}, upload_sent_at = null, error_streak = 0,
      status_polls = 0, next_poll_at = ${new Date(now.getTime() + pollDelaySeconds(0) * 1000)}, last_error = null, errors = null,
      history = history || ${tx.json([{ at: now.toISOString(), event, uploadIndex }] as never)}
    where tenant_id = ${row.tenantId} and id = ${row.id}`;
}

/**
 * An error answer to a status query or download: a used-up limit waits for the next day; any
 * other is retried on the poll schedule, but never forever — after MAX_ERROR_STREAK in a row (or
 * three for an answer that names the message unknown) the e-invoice is held for the operator.
 */
async function answeredError(tx: Tx, row: Row, now: Date, ref: string, a: Extract<StatusAnswer, { kind: 'error' }>, report: ProcessReport) {
  if (a.errorKind === 'limit') {
    await defer(tx, row, now, a.message);
    report.deferred++;
    return;
  }
  report.errors++;
  if (a.errorKind === 'access') await noteAnafReconnect(tx, row.tenantId, a.message);
  const streak = row.errorStreak + 1;
  if (streak >= (a.errorKind === 'refused' ? 3 : MAX_ERROR_STREAK)) {
    await tx`update e_invoices set state = ${transition(row.state, 'status_failed', ref)}, held_reason = ${`ANAF kept answering with an error: ${a.message}`.slice(0, 500)},
        held_rules = null, held_at = ${now}, error_streak = ${streak}, last_error = ${a.message},
        history = history || ${tx.json([{ at: now.toISOString(), event: 'held after status errors', error: a.message }] as never)}
      where tenant_id = ${row.tenantId} and id = ${row.id}`;
    report.held++;
    return;
  }
  const retryS = a.errorKind === 'access' ? RECONNECT_RETRY_S : pollDelaySeconds(row.statusPolls);
  await tx`update e_invoices set last_error = ${a.message}, error_streak = ${streak}, next_poll_at = ${new Date(now.getTime() + retryS * 1000)}
    where tenant_id = ${row.tenantId} and id = ${row.id}`;
}

async function poll(sql: Sql, client: EInvoiceClient, row: Row, token: string, now: Date, ref: string, report: ProcessReport) {
  const answer = await client.status(row.uploadIndex!);
  report.polled++;
  if (answer.kind === 'error') {
    await record(sql, row, token, (tx) => answeredError(tx, row, now, ref, answer, report));
    return;
  }
  if (answer.state === 'in_processing') {
    await record(sql, row, token, (tx) => tx`update e_invoices set anaf_state = 'in prelucrare', last_error = null, error_streak = 0,
        next_poll_at = ${new Date(now.getTime() + pollDelaySeconds(row.statusPolls) * 1000)} where tenant_id = ${row.tenantId} and id = ${row.id}`);
    return;
  }
  if (answer.state === 'xml_errors') {
    const errors = ['XML cu erori nepreluat de sistem'];
    await record(sql, row, token, (tx) => finish(tx, row, transition(row.state, 'processed_nok', ref), now, { anafState: 'XML cu erori nepreluat de sistem', errors }));
    report.nok++;
    return;
  }
  // ok / nok: fetch the ZIP (signed invoice, or ANAF's error report) before recording the outcome.
  const today = localDate(now);
  const [slot] = await sql<{ n: number }[]>`
    update e_invoices set downloads_today = case when downloads_day = ${today} then downloads_today + 1 else 1 end, downloads_day = ${today}, download_id = ${answer.downloadId}
    where tenant_id = ${row.tenantId} and id = ${row.id} and claim_token = ${token}
      and (downloads_day is distinct from ${today}::date or downloads_today < ${DOWNLOADS_PER_DAY})
    returning downloads_today as n`;
  if (!slot) {
    await record(sql, row, token, (tx) => defer(tx, row, now, 'daily download quota used; download tomorrow'));
    report.deferred++;
    return;
  }
  const dl = await client.download(answer.downloadId);
  if (dl.kind === 'error') {
    await record(sql, row, token, (tx) => answeredError(tx, row, now, ref, { kind: 'error', message: dl.message, errorKind: dl.errorKind }, report));
    return;
  }
  const entries = readZipEntries(dl.zip);
  const main = [...entries.entries()].find(([name]) => name.endsWith('.xml') && !name.includes('semnatura'));
  const mainXml = main ? main[1].toString('utf8') : null;
  if (answer.state === 'ok') {
    await record(sql, row, token, (tx) => finish(tx, row, transition(row.state, 'processed_ok', ref), now, { anafState: 'ok', downloadId: answer.downloadId, zip: dl.zip, signedXml: mainXml }));
    report.ok++;
  } else {
    await record(sql, row, token, (tx) =>
      finish(tx, row, transition(row.state, 'processed_nok', ref), now, { anafState: 'nok', downloadId: answer.downloadId, zip: dl.zip, errors: mainXml ? errorMessages(mainXml) : ['ANAF refused the invoice'] }),
    );
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
      last_error = null, error_streak = 0, history = history || ${tx.json([{ at: now.toISOString(), event: r.anafState, downloadId: r.downloadId ?? null, errors: r.errors ?? null }] as never)},
      updated_at = now()
    where tenant_id = ${row.tenantId} and id = ${row.id}`;
}

/** e-Factura states for the report: refused first, then those still waiting, newest first. */
export async function eInvoiceReport(db: Sql | Tx, tenantId: string, f: { state?: EInvoiceState; limit?: number } = {}) {
  return db<Array<Record<string, unknown>>>`
    select e.id::text, e.invoice_id::text as "invoiceId", i.full_number as "invoiceNumber", i.kind, e.standard, e.state, e.anaf_state as "anafState",
      e.upload_index as "uploadIndex", e.download_id as "downloadId", e.errors, e.last_error as "lastError", e.submission,
      e.held_reason as "heldReason", e.held_rules as "heldRules",
      e.next_poll_at as "nextPollAt", e.updated_at as "updatedAt", i.buyer->>'name' as "buyerName"
    from e_invoices e join invoices i on i.tenant_id = e.tenant_id and i.id = e.invoice_id
    where e.tenant_id = ${tenantId} and (${f.state ?? null}::text is null or e.state = ${f.state ?? null})
    order by case e.state when 'nok' then 0 when 'held' then 0 when 'pending' then 1 when 'in_processing' then 2 else 3 end, e.updated_at desc, e.id desc
    limit ${f.limit ?? 200}`;
}
