import type { Hono } from 'hono';
import { receiveStock } from '../../flows/index.ts';
import { productByBarcode, warehousesForScanning } from '../../inventory/index.ts';
import type { Deps } from '../../shared/deps.ts';
import { STATUS_BY_CODE } from '../errors.ts';
import type { MessageKey } from './i18n.ts';
import { type ReceiveView, receiveScreen } from './screens/receive-screen.ts';
import { ctxOf, field, gate, isDomain } from './ui-kit.ts';
import type { UiEnv } from './web-session.ts';

/** Which word a refused receipt line gets, by the field the receipt names. */
const FAULT_WORDS: Array<[RegExp, MessageKey]> = [
  [/\.(binCode|binId)$/, 'unknownBin'],
  [/\.(sku|barcode|productId)$/, 'unknownItem'],
  [/\.quantity$/, 'invalidQuantity'],
];

/** Receiving stock on the phone: one line per submit, through the same flow as POST /api/v1/stock-receipts. */
export function receiveRoutes(ui: Hono<UiEnv>, deps: Deps): void {
  const warehouses = async (tenantId: string) => (await warehousesForScanning(deps.sql, tenantId)).map(({ warehouseId, code, name }) => ({ warehouseId, code, name }));
  const emptyForm = (warehouseId = ''): ReceiveView['form'] => ({ warehouseId, binCode: '', itemCode: '', quantity: '1', reference: '' });

  ui.get('/receive', async (c) => {
    const s = gate(c, 'stock.receive');
    const ws = await warehouses(s.tenantId);
    const chosen = ws.find((w) => w.warehouseId === c.req.query('warehouseId'))?.warehouseId ?? ws[0]?.warehouseId ?? '';
    return c.html(receiveScreen(ctxOf(c), s, { warehouses: ws, form: emptyForm(chosen), result: null }));
  });

  ui.post('/receive', async (c) => {
    const s = gate(c, 'stock.receive');
    const t = c.get('t');
    const body = await c.req.parseBody();
    const form: ReceiveView['form'] = {
      warehouseId: (field(body, 'warehouseId') ?? '').trim(),
      binCode: (field(body, 'binCode') ?? '').trim().slice(0, 50),
      itemCode: (field(body, 'itemCode') ?? '').trim().slice(0, 100),
      quantity: (field(body, 'quantity') ?? '').trim().slice(0, 9),
      reference: (field(body, 'reference') ?? '').trim().slice(0, 100),
    };
    const ws = await warehouses(s.tenantId);
    const refuse = (text: string, detail: string, status: 400 | 404 | 409 = 400) => c.html(receiveScreen(ctxOf(c), s, { warehouses: ws, form, result: null }, { kind: 'error', text, detail }), status);
    const quantity = /^\d{1,7}$/.test(form.quantity) ? Number(form.quantity) : Number.NaN;
    if (!form.binCode) return refuse(t('unknownBin'), t('scanBinFirstHint'));
    if (!form.itemCode) return refuse(t('unknownItem'), t('receiveHint'));
    if (!Number.isSafeInteger(quantity) || quantity < 1) return refuse(t('invalidQuantity'), form.quantity);
    // A scanned code is a barcode; a typed one may be the SKU.
    const byBarcode = await productByBarcode(deps.sql, s.tenantId, form.itemCode);
    const line = { binCode: form.binCode, quantity, ...(byBarcode ? { barcode: form.itemCode } : { sku: form.itemCode }) };
    try {
      const r = await deps.sql.begin((tx) => receiveStock(tx, s.tenantId, { warehouseId: form.warehouseId, reference: form.reference || null, lines: [line] }));
      const result: ReceiveView['result'] = {
        receiptId: r.receipt.id,
        lines: r.receipt.lines.map((l) => ({ sku: l.sku, name: l.name, binCode: l.binCode, quantity: l.quantity })),
        released: r.releasedDeliveryNotes.map((n) => ({ id: n.id, orderNumber: n.orderNumber, orderId: n.orderId })),
      };
      const l = result.lines[0]!;
      return c.html(receiveScreen(ctxOf(c), s, { warehouses: ws, form: emptyForm(form.warehouseId), result }, { kind: 'ok', text: `${t('receivedOk')}: ${l.quantity} × ${l.sku} → ${l.binCode}`, detail: l.name }));
    } catch (e) {
      if (!isDomain(e, ['VALIDATION', 'NOT_FOUND'])) throw e;
      const paths = e.details.map((d) => d.path);
      const words = FAULT_WORDS.filter(([re]) => paths.some((p) => re.test(p))).map(([, k]) => t(k));
      const text = words.length > 0 ? words.join(' · ') : e.code === 'NOT_FOUND' ? t('notFound') : t('invalidInput');
      return refuse(text, e.message, STATUS_BY_CODE[e.code] as 400 | 404);
    }
  });
}
