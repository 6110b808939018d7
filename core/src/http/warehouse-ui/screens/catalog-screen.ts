import { html } from 'hono/html';
import type { SessionUser } from '../../../auth/index.ts';
import type { Bin, CatalogProduct, ImportKind, ImportReport, Variant, Warehouse } from '../../../inventory/index.ts';
import type { MessageKey, Translate } from '../i18n.ts';
import { BASE, csrfField, type Markup, type PageContext, page } from '../layout.ts';

/*
 * The catalog desk screen: products with their variants (search, edit a variant's SKU, barcode,
 * weight), warehouses with their bins (add, deactivate), and the CSV import with its line report.
 * Wider than the phone screens: it is used at a desk.
 */

export type Flash = { kind: 'ok' | 'error'; text: string; details?: Array<{ path: string; label: string; reason: string }> } | null;

type Section = 'products' | 'warehouses' | 'import';

function shell(ctx: PageContext, section: Section, title: string, body: Markup, flash: Flash): Markup {
  const { t } = ctx;
  const tab = (s: Section, href: string, key: MessageKey) => html`<a href="${BASE}${href}" class="${section === s ? 'on' : ''}" data-section="${s}">${t(key)}</a>`;
  return page(
    { ...ctx, active: 'catalog' },
    title,
    html`<h1>${t('catalog')}</h1>
<nav class="filters three">${tab('products', '/catalog', 'catalogProducts')}${tab('warehouses', '/catalog/warehouses', 'catalogWarehouses')}${tab('import', '/catalog/import', 'catalogImport')}</nav>
${flash ? flashBox(flash) : ''}
${body}`,
    { pageId: `catalog-${section}` },
  );
}

const flashBox = (f: NonNullable<Flash>) =>
  html`<div class="alert ${f.kind}" role="${f.kind === 'error' ? 'alert' : 'status'}" data-flash="${f.kind}">${f.text}${
    f.details && f.details.length > 0 ? html`<ul class="problems">${f.details.map((d) => html`<li data-path="${d.path}"><strong>${d.label}</strong>: ${d.reason}</li>`)}</ul>` : ''
  }</div>`;

/** "49.9000" as a price is read: 49.90. */
const money = (s: string | null) => (s === null ? '' : s.replace(/^(\d+)\.(\d{2})0*$/, '$1.$2'));
/** "0.180" kg as typed: 0.18. */
const decimal = (s: string | null) => (s === null ? '' : s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);

function originText(t: Translate, v: Variant): string {
  const base = v.origin === 'channel' ? `${t('originChannel')}${v.originChannelId ? ` #${v.originChannelId}` : ''}` : v.origin === 'csv_import' ? t('originCsv') : v.origin === 'api' ? t('originApi') : '—';
  return v.editedAt ? `${base} · ${t('editedHere')}` : base;
}

export function catalogListScreen(ctx: PageContext, o: { q: string; products: CatalogProduct[]; nextHref: string | null; flash?: Flash }): Markup {
  const { t } = ctx;
  return shell(
    ctx,
    'products',
    t('catalogProducts'),
    html`<form method="get" action="${BASE}/catalog" class="searchbar" role="search">
  <input id="q" name="q" value="${o.q}" placeholder="${t('searchCatalog')}" aria-label="${t('searchCatalog')}" autocomplete="off">
  <button class="btn" type="submit">${t('search')}</button>
</form>
${o.products.length === 0 ? html`<p class="card muted" data-empty>${t('noProducts')}</p>` : ''}
<table class="desk" data-products>
<thead><tr><th>${t('product')}</th><th>${t('sku')}</th><th>${t('barcode')}</th><th class="num">${t('weightKg')}</th><th class="num">${t('price')}</th><th>${t('origin')}</th><th></th></tr></thead>
${o.products.map(
  (p) => html`<tbody data-product-id="${p.id}">
${p.variants.map(
  (v, i) => html`<tr data-variant-id="${v.id}" data-sku="${v.sku}" class="${v.archived ? 'archived' : ''}">
  ${i === 0 ? html`<th scope="rowgroup" rowspan="${p.variants.length}">${p.name}${p.archived ? html` <span class="pill">${t('archived')}</span>` : ''}</th>` : ''}
  <td><code>${v.sku}</code>${p.variants.length > 1 || v.name !== p.name ? html`<br><span class="muted">${v.name}</span>` : ''}</td>
  <td>${v.barcode ?? ''}</td>
  <td class="num">${decimal(v.weightKg)}</td>
  <td class="num">${money(v.price)}</td>
  <td class="muted">${originText(t, v)}</td>
  ${i === 0 ? html`<td rowspan="${p.variants.length}"><a class="btn secondary small" href="${BASE}/catalog/products/${p.id}">${t('edit')}</a></td>` : ''}
</tr>`,
)}
</tbody>`,
)}
</table>
${o.nextHref ? html`<p><a class="btn secondary" href="${o.nextHref}" id="more">${t('more')}</a></p>` : ''}`,
    o.flash ?? null,
  );
}

export function productEditScreen(ctx: PageContext, user: SessionUser, o: { product: CatalogProduct; flash?: Flash; editing?: { variantId: string; values: Record<string, string> } }): Markup {
  const { t } = ctx;
  const p = o.product;
  const val = (v: Variant, k: string, current: string) => (o.editing?.variantId === v.id ? (o.editing.values[k] ?? current) : current);
  return shell(
    ctx,
    'products',
    p.name,
    html`<h2 data-product-name>${p.name}${p.archived ? html` <span class="pill">${t('archived')}</span>` : ''}</h2>
${p.variants.map(
  (v) => html`<form method="post" action="${BASE}/catalog/products/${p.id}/variants/${v.id}" class="card variant" data-variant-id="${v.id}">
  ${csrfField(user)}
  <div class="variant-head"><strong>${v.name}</strong><span class="muted">${t('origin')}: ${originText(t, v)}</span></div>
  <div class="grid4">
    <div><label for="sku-${v.id}">${t('sku')}</label><input id="sku-${v.id}" name="sku" value="${val(v, 'sku', v.sku)}" required maxlength="100" autocomplete="off"></div>
    <div><label for="barcode-${v.id}">${t('barcode')}</label><input id="barcode-${v.id}" name="barcode" value="${val(v, 'barcode', v.barcode ?? '')}" maxlength="64" inputmode="numeric" autocomplete="off"></div>
    <div><label for="weight-${v.id}">${t('weightKg')}</label><input id="weight-${v.id}" name="weightKg" value="${val(v, 'weightKg', decimal(v.weightKg))}" inputmode="decimal" autocomplete="off"></div>
    <div><label for="name-${v.id}">${t('name')}</label><input id="name-${v.id}" name="name" value="${val(v, 'name', v.name)}" maxlength="300"></div>
  </div>
  <div class="actions"><button class="btn" type="submit">${t('save')}</button></div>
</form>`,
)}
<p><a href="${BASE}/catalog">${t('back')}</a></p>`,
    o.flash ?? null,
  );
}

export function warehousesScreen(ctx: PageContext, user: SessionUser, o: { warehouses: Array<Warehouse & { binList: Bin[] }>; flash?: Flash }): Markup {
  const { t } = ctx;
  return shell(
    ctx,
    'warehouses',
    t('catalogWarehouses'),
    html`${o.warehouses.map(
      (w) => html`<section class="card" data-warehouse-id="${w.id}" data-warehouse-code="${w.code}">
  <h2>${w.code} · ${w.name}</h2>
  ${w.address ? html`<p class="muted">${[w.address.addressLine, w.address.locality, w.address.county].filter(Boolean).join(', ')}</p>` : ''}
  <table class="desk" data-bins>
    <thead><tr><th>${t('bin')}</th><th>${t('zone')}</th><th class="num">${t('pickSequence')}</th><th class="num">${t('onHand')}</th><th class="num">${t('reserved')}</th><th>${t('status')}</th><th></th></tr></thead>
    <tbody>
    ${w.binList.map(
      (b) => html`<tr data-bin-code="${b.code}" data-active="${b.active ? '1' : '0'}">
      <td><code>${b.code}</code></td><td>${b.zone ?? ''}</td><td class="num">${b.pickSequence}</td><td class="num">${b.onHand}</td><td class="num">${b.reserved}</td>
      <td><span class="pill ${b.active ? 'ok' : ''}">${b.active ? t('binActive') : t('binInactive')}</span></td>
      <td><form method="post" action="${BASE}/catalog/bins/${b.id}/${b.active ? 'deactivate' : 'reactivate'}" class="inline">${csrfField(user)}<button class="link" type="submit">${b.active ? t('deactivate') : t('reactivate')}</button></form></td>
    </tr>`,
    )}
    </tbody>
  </table>
  <form method="post" action="${BASE}/catalog/warehouses/${w.id}/bins" class="inline-form" data-add-bin>
    ${csrfField(user)}
    <input name="code" placeholder="${t('code')}" aria-label="${t('bin')} ${t('code')}" required maxlength="50" autocomplete="off">
    <input name="zone" placeholder="${t('zone')}" aria-label="${t('zone')}" maxlength="50" autocomplete="off">
    <input name="pickSequence" placeholder="${t('pickSequence')}" aria-label="${t('pickSequence')}" inputmode="numeric" autocomplete="off">
    <button class="btn" type="submit">${t('addBin')}</button>
  </form>
</section>`,
    )}
<form method="post" action="${BASE}/catalog/warehouses" class="card" data-add-warehouse>
  ${csrfField(user)}
  <h2>${t('addWarehouse')}</h2>
  <div class="grid4">
    <div><label for="wh-code">${t('code')}</label><input id="wh-code" name="code" required maxlength="20" autocomplete="off"></div>
    <div><label for="wh-name">${t('name')}</label><input id="wh-name" name="name" required maxlength="200"></div>
    <div><label for="wh-line">${t('addressLine')}</label><input id="wh-line" name="addressLine" maxlength="200"></div>
    <div><label for="wh-locality">${t('locality')}</label><input id="wh-locality" name="locality" maxlength="200"></div>
  </div>
  <div class="actions"><button class="btn" type="submit">${t('addWarehouse')}</button></div>
</form>`,
    o.flash ?? null,
  );
}

const ACTION_KEY: Record<string, MessageKey> = { created: 'actionCreated', updated: 'actionUpdated', unchanged: 'actionUnchanged', received: 'actionReceived' };

export function importScreen(
  ctx: PageContext,
  user: SessionUser,
  o: {
    kind: ImportKind;
    reason: string;
    dryRun: boolean;
    warehouses: Array<{ id: string; code: string; name: string }>;
    warehouseId: string;
    report: (ImportReport & { releasedDeliveryNotes?: Array<{ id: string }> }) | null; flash?: Flash },
): Markup {
  const { t } = ctx;
  const r = o.report;
  const kinds: Array<[ImportKind, MessageKey]> = [
    ['products', 'importProducts'],
    ['bins', 'importBins'],
    ['stock', 'importStock'],
  ];
  return shell(
    ctx,
    'import',
    t('catalogImport'),
    html`<form method="post" action="${BASE}/catalog/import" enctype="multipart/form-data" class="card" data-import-form>
  ${csrfField(user)}
  <p class="muted">${t('importHelp')}</p>
  <div class="grid4">
    <div><label for="kind">${t('importKind')}</label><select id="kind" name="kind">${kinds.map(([k, key]) => html`<option value="${k}" ${o.kind === k ? 'selected' : ''}>${t(key)}</option>`)}</select></div>
    <div><label for="file">${t('csvFile')}</label><input id="file" name="file" type="file" accept=".csv,text/csv,text/plain" required></div>
    <div><label for="warehouseId">${t('importWarehouse')}</label><select id="warehouseId" name="warehouseId"><option value="">${t('fromFile')}</option>${o.warehouses.map((w) => html`<option value="${w.id}" ${o.warehouseId === w.id ? 'selected' : ''}>${w.code} · ${w.name}</option>`)}</select></div>
    <div><label for="reason">${t('importReason')}</label><input id="reason" name="reason" value="${o.reason}" maxlength="100"></div>
    <div><label class="check-label"><input type="checkbox" name="dryRun" value="1" ${o.dryRun ? 'checked' : ''}> ${t('dryRun')}</label></div>
  </div>
  <div class="actions"><button class="btn" type="submit" id="run-import">${t('runImport')}</button></div>
</form>
${
  r
    ? html`<section class="card" data-import-report data-dry-run="${r.dryRun ? '1' : '0'}">
  <h2>${t('importReport')}</h2>
  <p class="alert ${r.refused > 0 ? 'warn' : 'ok'}">${r.dryRun ? t('dryRunDone') : t('importDone')}</p>
  <p><span class="pill ok" data-accepted="${r.accepted}">${t('accepted')}: ${r.accepted}</span> <span class="pill ${r.refused > 0 ? 'blocked' : ''}" data-refused="${r.refused}">${t('refused')}: ${r.refused}</span>
  ${r.ignoredColumns.length > 0 ? html` <span class="muted">${t('ignoredColumns')}: ${r.ignoredColumns.join(', ')}</span>` : ''}</p>
  ${r.releasedDeliveryNotes && r.releasedDeliveryNotes.length > 0 ? html`<p class="alert ok" data-released>${t('releasedNotes')}: ${r.releasedDeliveryNotes.map((n) => `#${n.id}`).join(', ')}</p>` : ''}
  <table class="desk" data-report-lines>
    <thead><tr><th class="num">${t('line')}</th><th>${t('status')}</th><th>${t('sku')} / ${t('code')}</th><th>${t('column')}</th><th>${t('reason')}</th></tr></thead>
    <tbody>
    ${r.lines.map((l) =>
      l.status === 'accepted'
        ? html`<tr data-line="${l.line}" data-status="accepted"><td class="num">${l.line}</td><td><span class="pill ok">${l.action ? t(ACTION_KEY[l.action]!) : ''}</span></td><td><code>${l.key ?? ''}</code></td><td></td><td></td></tr>`
        : l.problems.map(
            (p, i) =>
              html`<tr data-line="${l.line}" data-status="refused" class="refused">${i === 0 ? html`<td class="num" rowspan="${l.problems.length}">${l.line}</td><td rowspan="${l.problems.length}"><span class="pill blocked">${t('lineRefused')}</span></td><td rowspan="${l.problems.length}"><code>${l.key ?? ''}</code></td>` : ''}<td data-column="${p.column}">${p.column}</td><td>${p.reason}</td></tr>`,
          ),
    )}
    </tbody>
  </table>
</section>`
    : ''
}`,
    o.flash ?? null,
  );
}
