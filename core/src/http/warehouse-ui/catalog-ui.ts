import { type Context, Hono } from 'hono';
import { requirePermission, type SessionUser } from '../../auth/index.ts';
import { addWarehouse, importStock } from '../../flows/index.ts';
import { createBin, getProduct, type ImportKind, importBins, importProducts, listBins, listProducts, listWarehouses, updateBin, updateVariant } from '../../inventory/index.ts';
import type { Deps } from '../../shared/deps.ts';
import { DomainError } from '../../shared/domain-error.ts';
import { isId } from '../../shared/ids.ts';
import { STATUS_BY_CODE } from '../errors.ts';
import type { MessageKey, Translate } from './i18n.ts';
import { BASE, type PageContext } from './layout.ts';
import { catalogListScreen, type Flash, importScreen, productEditScreen, warehousesScreen } from './screens/catalog-screen.ts';
import { requireSession, type UiEnv } from './web-session.ts';

/*
 * The catalog desk screen's routes under /warehouse/catalog: each form posts to one domain call
 * (the same ones /api/v1 uses) and the page is drawn again with what happened; a refused form
 * shows the error's fields and writes nothing.
 */

type Body = Record<string, string | File | (string | File)[]>;
const text = (b: Body, k: string): string => {
  const v = b[k];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first : '';
};

const PAGE = 25;
const IMPORT_KINDS: readonly ImportKind[] = ['products', 'bins', 'stock'];

const HEADLINE: Partial<Record<string, MessageKey>> = { VALIDATION: 'refusedInvalid', CONFLICT: 'refusedTaken', INVALID_STATE: 'refusedState', NOT_FOUND: 'notFound' };
const FIELD_LABEL: Record<string, MessageKey> = { sku: 'sku', barcode: 'barcode', weightKg: 'weightKg', name: 'name', code: 'code', zone: 'zone', pickSequence: 'pickSequence', active: 'bin', file: 'csvFile', reason: 'importReason', csv: 'csvFile' };

/**
 * The error of a refused form as the page shows it: a headline in the screen's language, then each
 * field named by its label and the domain's reason. Anything but a refusal is not ours to show.
 */
function refusal(e: unknown, t: Translate): { status: 400 | 404 | 409; flash: NonNullable<Flash> } {
  if (!(e instanceof DomainError) || !HEADLINE[e.code]) throw e;
  const details = e.details.map((d) => ({ path: d.path, label: FIELD_LABEL[d.path] ? t(FIELD_LABEL[d.path]!) : d.path, reason: d.reason }));
  return { status: STATUS_BY_CODE[e.code] as 400 | 404 | 409, flash: { kind: 'error', text: t(HEADLINE[e.code]!), details } };
}

export function catalogUi(deps: Deps) {
  const ui = new Hono<UiEnv>();
  const ctxOf = (c: Context<UiEnv>): PageContext => ({ lang: c.get('lang'), t: c.get('t'), user: c.get('session') });
  const gate = (c: Context<UiEnv>): SessionUser => {
    const s = requireSession(c);
    requirePermission(s, 'catalog.manage');
    return s;
  };

  ui.get('/catalog', async (c) => {
    const s = gate(c);
    const q = (c.req.query('q') ?? '').trim().slice(0, 200);
    const cursor = c.req.query('cursor');
    const page = await listProducts(deps.sql, s.tenantId, { q, limit: PAGE, ...(cursor && isId(cursor) ? { cursor } : {}) });
    const next = page.nextCursor ? `${BASE}/catalog?${new URLSearchParams({ ...(q ? { q } : {}), cursor: page.nextCursor }).toString()}` : null;
    return c.html(catalogListScreen(ctxOf(c), { q, products: page.products, nextHref: next }));
  });

  ui.get('/catalog/products/:id', async (c) => {
    const s = gate(c);
    return c.html(productEditScreen(ctxOf(c), s, { product: await getProduct(deps.sql, s.tenantId, c.req.param('id')) }));
  });

  ui.post('/catalog/products/:id/variants/:variantId', async (c) => {
    const s = gate(c);
    const { id, variantId } = c.req.param();
    const b = await c.req.parseBody();
    const values = { sku: text(b, 'sku'), barcode: text(b, 'barcode'), weightKg: text(b, 'weightKg'), name: text(b, 'name') };
    try {
      const product = await deps.sql.begin((tx) =>
        updateVariant(tx, s.tenantId, id, variantId, {
          sku: values.sku,
          barcode: values.barcode.trim() === '' ? null : values.barcode,
          weightKg: values.weightKg.trim() === '' ? null : values.weightKg,
          ...(values.name.trim() !== '' ? { name: values.name } : {}),
        }),
      );
      return c.html(productEditScreen(ctxOf(c), s, { product, flash: { kind: 'ok', text: c.get('t')('variantSaved') } }));
    } catch (e) {
      const r = refusal(e, c.get('t'));
      const product = await getProduct(deps.sql, s.tenantId, id);
      return c.html(productEditScreen(ctxOf(c), s, { product, flash: r.flash, editing: { variantId, values } }), r.status);
    }
  });

  async function warehousesPage(c: Context<UiEnv>, s: SessionUser, flash: Flash, status: 200 | 201 | 400 | 404 | 409 = 200) {
    const warehouses = await listWarehouses(deps.sql, s.tenantId);
    const withBins = await Promise.all(warehouses.map(async (w) => ({ ...w, binList: await listBins(deps.sql, s.tenantId, w.id) })));
    return c.html(warehousesScreen(ctxOf(c), s, { warehouses: withBins, flash }), status);
  }

  ui.get('/catalog/warehouses', async (c) => warehousesPage(c, gate(c), null));

  ui.post('/catalog/warehouses', async (c) => {
    const s = gate(c);
    const b = await c.req.parseBody();
    const address = Object.fromEntries(['addressLine', 'locality'].map((k) => [k, text(b, k).trim()]).filter(([, v]) => v !== ''));
    try {
      await deps.sql.begin((tx) => addWarehouse(tx, s.tenantId, { code: text(b, 'code'), name: text(b, 'name'), address: Object.keys(address).length > 0 ? address : null }));
      return warehousesPage(c, s, { kind: 'ok', text: c.get('t')('warehouseSaved') });
    } catch (e) {
      const r = refusal(e, c.get('t'));
      return warehousesPage(c, s, r.flash, r.status);
    }
  });

  ui.post('/catalog/warehouses/:id/bins', async (c) => {
    const s = gate(c);
    const b = await c.req.parseBody();
    const seq = text(b, 'pickSequence').trim();
    try {
      if (seq !== '' && !/^\d{1,10}$/.test(seq)) throw new DomainError('VALIDATION', 'The pick sequence is a whole number ≥ 0.', [{ path: 'pickSequence', reason: 'must be a whole number ≥ 0' }]);
      await deps.sql.begin((tx) => createBin(tx, s.tenantId, c.req.param('id'), { code: text(b, 'code'), zone: text(b, 'zone'), ...(seq !== '' ? { pickSequence: Number(seq) } : {}) }));
      return warehousesPage(c, s, { kind: 'ok', text: c.get('t')('binSaved') });
    } catch (e) {
      const r = refusal(e, c.get('t'));
      return warehousesPage(c, s, r.flash, r.status);
    }
  });

  for (const [action, active] of [
    ['deactivate', false],
    ['reactivate', true],
  ] as const) {
    ui.post(`/catalog/bins/:id/${action}`, async (c) => {
      const s = gate(c);
      try {
        await deps.sql.begin((tx) => updateBin(tx, s.tenantId, c.req.param('id'), { active }));
        return warehousesPage(c, s, { kind: 'ok', text: c.get('t')('binSaved') });
      } catch (e) {
        const r = refusal(e, c.get('t'));
        return warehousesPage(c, s, r.flash, r.status);
      }
    });
  }

  const warehouseChoices = async (tenantId: string) => (await listWarehouses(deps.sql, tenantId)).map((w) => ({ id: w.id, code: w.code, name: w.name }));

  ui.get('/catalog/import', async (c) => {
    const s = gate(c);
    const kind = c.req.query('kind');
    const warehouses = await warehouseChoices(s.tenantId);
    return c.html(importScreen(ctxOf(c), s, { kind: IMPORT_KINDS.includes(kind as ImportKind) ? (kind as ImportKind) : 'products', reason: '', dryRun: true, warehouses, warehouseId: '', report: null }));
  });

  ui.post('/catalog/import', async (c) => {
    const s = gate(c);
    const b = await c.req.parseBody();
    const kindRaw = text(b, 'kind');
    const kind: ImportKind = IMPORT_KINDS.includes(kindRaw as ImportKind) ? (kindRaw as ImportKind) : 'products';
    const reason = text(b, 'reason').trim().slice(0, 100);
    const dryRun = text(b, 'dryRun') === '1';
    const file = b.file;
    const warehouses = await warehouseChoices(s.tenantId);
    const chosen = text(b, 'warehouseId');
    const warehouseId = warehouses.some((w) => w.id === chosen) ? chosen : undefined;
    const view = { kind, reason, dryRun, warehouses, warehouseId: warehouseId ?? '' };
    try {
      if (!(file instanceof File) || file.size === 0) throw new DomainError('VALIDATION', 'Choose a CSV file.', [{ path: 'file', reason: 'no file chosen' }]);
      if (kind === 'stock' && reason === '') throw new DomainError('VALIDATION', 'A stock import needs a reason (it is written in the stock ledger).', [{ path: 'reason', reason: 'required for stock' }]);
      const csv = await file.text();
      const report = await deps.sql.begin((tx) =>
        kind === 'products' ? importProducts(tx, s.tenantId, { csv, dryRun }) : kind === 'bins' ? importBins(tx, s.tenantId, { csv, dryRun, warehouseId }) : importStock(tx, s.tenantId, { csv, dryRun, reason, warehouseId }),
      );
      return c.html(importScreen(ctxOf(c), s, { ...view, report }));
    } catch (e) {
      const r = refusal(e, c.get('t'));
      return c.html(importScreen(ctxOf(c), s, { ...view, report: null, flash: r.flash }), r.status);
    }
  });

  return ui;
}
