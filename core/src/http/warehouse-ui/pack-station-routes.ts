import type { Hono } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import type { SessionUser } from '../../auth/index.ts';
import { closeParcelWithAwb, getShipmentLabel } from '../../flows/index.ts';
import type { Deps } from '../../shared/deps.ts';
import { DomainError } from '../../shared/domain-error.ts';
import type { CourierChoice, LabelFormat } from '../../shipping/index.ts';
import { getShipment } from '../../shipping/index.ts';
import { getPackingList, overridePackScan, type PackingList, scanPackingItem } from '../../warehouse/index.ts';
import { errorBody, STATUS_BY_CODE } from '../errors.ts';
import type { MessageKey } from './i18n.ts';
import { BASE, page } from './layout.ts';
import { missingWords, type PackView, packScanPanel, packScreen } from './screens/pack-screen.ts';
import { ctxOf, errorWords, field, gate, isDomain } from './ui-kit.ts';
import { type UiEnv, wantsJson } from './web-session.ts';

type PackViewOf = (s: SessionUser, p: PackingList, choices?: CourierChoice[]) => Promise<PackView>;

const ScanBody = z.object({
  code: z.string().trim().min(1, 'required').max(64, 'at most 64 characters'),
  quantity: z.coerce.number().int('must be a whole number').min(1, 'must be ≥ 1').max(999, 'must be ≤ 999').default(1),
});

const FORMATS: readonly LabelFormat[] = ['A6', 'A4'];
const ADDRESS_WORDS: Record<string, MessageKey> = {
  'deliveryAddress.city': 'city',
  'deliveryAddress.province': 'county',
  'deliveryAddress.postcode': 'postcode',
  'deliveryAddress.phone': 'phone',
  'deliveryAddress.address1': 'street',
  'deliveryAddress.firstName': 'name',
};
const formatOf = (v: string | undefined): LabelFormat => (v === 'A4' ? 'A4' : 'A6');

/**
 * The packing station: each item scanned against the packing list, a supervisor's override, the AWB
 * (refused while an item is unscanned), and the label straight to the browser's print dialog.
 */
export function packStationRoutes(ui: Hono<UiEnv>, deps: Deps, packView: PackViewOf): void {
  ui.post('/packing-lists/:id/scan', async (c) => {
    const s = gate(c, 'packing_list.pack');
    const id = c.req.param('id');
    const json = wantsJson(c);
    const raw = json ? await c.req.json().catch(() => null) : await c.req.parseBody();
    const t = c.get('t');
    const parsed = ScanBody.safeParse(raw ?? {});
    const render = async (flash: { kind: 'ok' | 'error'; text: string; detail?: string }, status: 200 | 400 | 404 | 409) => {
      const v = await packView(s, await getPackingList(deps.sql, s.tenantId, id));
      if (!json) return c.html(packScreen(ctxOf(c), s, v, flash), status);
      return c.json({ ok: flash.kind === 'ok', headline: flash.text, detail: flash.detail ?? '', panel: await packScanPanel(t, v), complete: v.scan.complete }, status);
    };
    if (!parsed.success) return render({ kind: 'error', text: t('invalidInput'), detail: parsed.error.issues[0]!.message }, 400);
    try {
      const { line, state } = await deps.sql.begin((tx) => scanPackingItem(tx, s.tenantId, id, parsed.data));
      const text = `${t('scanOk')}: ${line.name} · ${line.scanned}/${line.quantity}`;
      return render({ kind: 'ok', text, detail: state.complete ? t('allScanned') : '' }, 200);
    } catch (e) {
      // A refused scan changes nothing: the packer hears the error tone and reads why, in the UI's language.
      if (!isDomain(e, ['VALIDATION', 'INVALID_STATE'])) throw e;
      const w = errorWords(t, e, { wrong_item: 'notInParcel' });
      const status = STATUS_BY_CODE[e.code] as 400 | 409;
      const v = await packView(s, await getPackingList(deps.sql, s.tenantId, id));
      // The detail in the UI's language too: the code scanned, or how many of that item are already checked.
      const code = parsed.data.code;
      const line = v.scan.lines.find((l) => l.barcode === code || l.sku?.toLowerCase() === code.toLowerCase());
      const detail = w.reason === 'wrong_item' ? `${t('itemCode')}: ${code}` : w.reason === 'over_scan' && line ? `${line.sku ?? line.name}: ${t('scanned')} ${line.scanned}/${line.quantity}` : w.detail;
      if (json) return c.json({ ok: false, reason: w.reason, headline: w.headline, detail, ...errorBody(e.code, e.message, e.details), panel: await packScanPanel(t, v), complete: v.scan.complete }, status);
      return c.html(packScreen(ctxOf(c), s, v, { kind: 'error', text: w.headline, detail }), status);
    }
  });

  ui.post('/packing-lists/:id/scan-override', async (c) => {
    const s = gate(c, 'packing_list.override_scan');
    const id = c.req.param('id');
    const t = c.get('t');
    const reason = (field(await c.req.parseBody(), 'reason') ?? '').trim();
    try {
      await deps.sql.begin((tx) => overridePackScan(tx, s.tenantId, id, { userId: s.userId, reason }));
    } catch (e) {
      if (!isDomain(e, ['VALIDATION', 'INVALID_STATE'])) throw e;
      const v = await packView(s, await getPackingList(deps.sql, s.tenantId, id));
      return c.html(packScreen(ctxOf(c), s, v, { kind: 'error', text: e.code === 'VALIDATION' ? t('overrideNeedsReason') : errorWords(t, e).headline, detail: e.message }), STATUS_BY_CODE[e.code] as 400);
    }
    return c.redirect(`${BASE}/packing-lists/${id}`, 303);
  });

  ui.post('/packing-lists/:id/awb', async (c) => {
    const s = gate(c, 'packing_list.pack');
    const id = c.req.param('id');
    const t = c.get('t');
    const labelFormat = formatOf(field(await c.req.parseBody(), 'labelFormat'));
    try {
      const { shipment } = await closeParcelWithAwb(deps, s.tenantId, id, { labelFormat });
      return c.redirect(`${BASE}/shipments/${shipment.id}/label/print?format=${labelFormat}`, 303);
    } catch (e) {
      if (!(e instanceof DomainError) || e.code === 'FORBIDDEN' || e.code === 'UNAUTHORIZED') throw e;
      const courierRefused = e.code === 'VALIDATION' && / refused the AWB /.test(e.message);
      const w = errorWords(t, e);
      const v = await packView(s, await getPackingList(deps.sql, s.tenantId, id));
      const text = courierRefused ? t('awbRefused') : w.reason === 'unscanned' ? w.headline : e.code === 'VALIDATION' && e.details.some((d) => d.path.startsWith('parcels') || d.path === 'courier' || d.path === 'service') ? `${t('missingForAwb')}: ${missingWords(t, e.details.map((d) => d.path))}` : w.headline;
      // The courier's own words for the field it refused (Romanian couriers answer in Romanian), the field named in the UI's language.
      const detail = courierRefused
        ? e.details.map((d) => `${ADDRESS_WORDS[d.path] ? t(ADDRESS_WORDS[d.path]!) : d.path}: ${d.reason}`).join(' · ')
        : w.reason === 'unscanned'
          ? v.scan.lines.filter((l) => l.scanned < l.quantity).map((l) => `${l.sku ?? l.name} ${l.scanned}/${l.quantity}`).join(', ')
          : e.message;
      return c.html(packScreen(ctxOf(c), s, v, { kind: 'error', text, detail }), STATUS_BY_CODE[e.code] as 400);
    }
  });

  /** The label's page: the PDF in a frame that print.js sends to the browser's print dialog as soon as it loads. */
  ui.get('/shipments/:id/label/print', async (c) => {
    const s = gate(c, 'packing_list.view');
    const t = c.get('t');
    const shipment = await getShipment(deps.sql, s.tenantId, c.req.param('id'));
    const format = formatOf(c.req.query('format'));
    const pdf = `${BASE}/shipments/${shipment.id}/label.pdf?format=${format}`;
    const back = shipment.packingListId ? `${BASE}/packing-lists/${shipment.packingListId}` : `${BASE}/`;
    return c.html(
      page(
        { ...ctxOf(c), active: 'pick' },
        `${t('labelTitle')} ${shipment.awb ?? ''}`,
        html`<h1>${t('labelTitle')} · ${shipment.awb ?? ''}</h1>
<p id="print-status" class="alert ok" data-print-state="loading" data-sent="${t('printSent')}">${t('printOpening')}</p>
<nav class="filters">${FORMATS.map((f) => html`<a href="${BASE}/shipments/${shipment.id}/label/print?format=${f}" class="${f === format ? 'on' : ''}" data-format="${f}">${f === 'A6' ? t('formatA6') : t('formatA4')}</a>`)}</nav>
<iframe id="label-frame" class="label-frame" title="${t('labelTitle')}" src="${pdf}" data-format="${format}"></iframe>
<div class="actions two"><button type="button" class="btn" id="print-again">${t('printAgain')}</button><a class="btn secondary" href="${pdf}" target="_blank" rel="noopener" id="open-pdf">${t('openPdf')}</a></div>
<div class="actions"><a class="btn secondary block" href="${back}" id="back-to-packing">${t('back')}</a></div>`,
        { scripts: ['print-label.js'], pageId: 'label-print' },
      ),
    );
  });

  ui.get('/shipments/:id/label.pdf', async (c) => {
    const s = gate(c, 'packing_list.view');
    const id = c.req.param('id');
    const label = await getShipmentLabel(deps, s.tenantId, id, formatOf(c.req.query('format')));
    return c.body(label.bytes as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': 'application/pdf', 'Content-Disposition': `inline; filename="AWB-${id}-${label.format}.pdf"` });
  });
}
