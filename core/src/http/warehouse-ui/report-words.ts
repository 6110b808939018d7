import type { Language } from '../../auth/index.ts';

/**
 * The report screens' words, Romanian and English: each report's title and what it is for, and
 * every column and filter by its API key (the same key the JSON and the CSV header carry).
 */
const TITLES: Record<string, { ro: [string, string]; en: [string, string] }> = {
  'orders-per-channel': { ro: ['Comenzi pe canal', 'Volumul pe Shopify, WooCommerce și manual, pe stări și zile.'], en: ['Orders per channel', 'Volume per Shopify, WooCommerce and manual channel, by status and day.'] },
  'sync-audit': { ro: ['Jurnal de sincronizare', 'Tot ce a venit din magazine și ce le-am trimis, cele mai noi primele, cu erori.'], en: ['Sync audit', 'Everything the stores sent and what we wrote back, newest first, with errors.'] },
  'awbs-in-transit': { ro: ['AWB-uri în tranzit', 'Colete pe drum: vechime, ultimul eveniment al curierului, ce cere atenție.'], en: ['AWBs in transit', 'Parcels on the road: age, the courier’s last event, what needs attention.'] },
  'courier-audit-log': { ro: ['Jurnalul curierilor', 'Fiecare apel către curieri: operația, răspunsul, durata, erorile.'], en: ['Courier audit log', 'Every courier API call: the operation, the answer, the latency, the errors.'] },
  'invoices-per-channel': { ro: ['Facturi pe canal', 'Reconciliere e-commerce: totalul magazinului față de facturat și stornat, pe monedă.'], en: ['Invoices per channel', 'E-commerce reconciliation: the store total against invoiced and credited, per currency.'] },
  'stock-movements': { ro: ['Istoricul mișcărilor de stoc', 'Fiecare intrare, rezervare și ieșire, cu documentul care a cauzat-o.'], en: ['Stock movement history', 'Every receipt, reservation and issue, with the document that caused it.'] },
  'blocked-delivery-notes': { ro: ['Avize blocate', 'Avize de livrare fără stoc suficient: ce lipsește, pe cod produs.'], en: ['Blocked delivery notes', 'Delivery notes without enough stock: what is missing, per SKU.'] },
  returns: { ro: ['Retururi', 'Rata de retur pe perioadă și canal, motive, repus în stoc sau în carantină.'], en: ['Returns', 'Return rate by period and channel, reasons, restocked or quarantined.'] },
};

const WORDS: Record<string, [ro: string, en: string]> = {
  day: ['Ziua', 'Day'],
  from: ['De la', 'From'],
  to: ['Până la', 'To'],
  days: ['Zile pe pagină', 'Days per page'],
  limit: ['Rânduri pe pagină', 'Rows per page'],
  channelId: ['Canal (id)', 'Channel (id)'],
  channelName: ['Canal', 'Channel'],
  status: ['Stare', 'Status'],
  orders: ['Comenzi', 'Orders'],
  currency: ['Moneda', 'Currency'],
  storeTotal: ['Total magazin', 'Store total'],
  invoices: ['Facturi', 'Invoices'],
  invoiced: ['Facturat', 'Invoiced'],
  creditNotes: ['Facturi storno', 'Credit notes'],
  credited: ['Stornat', 'Credited'],
  difference: ['Diferență', 'Difference'],
  id: ['Id', 'Id'],
  createdAt: ['Creat la', 'Created at'],
  direction: ['Sens', 'Direction'],
  kind: ['Tip', 'Kind'],
  topic: ['Subiect', 'Topic'],
  externalId: ['Id în magazin', 'Store id'],
  outcome: ['Rezultat', 'Outcome'],
  error: ['Eroare', 'Error'],
  shipmentId: ['Expediere', 'Shipment'],
  orderId: ['Comanda', 'Order'],
  courier: ['Curier', 'Courier'],
  awb: ['AWB', 'AWB'],
  attention: ['Atenție', 'Attention'],
  ageHours: ['Vechime (ore)', 'Age (hours)'],
  ageBucket: ['Vechime', 'Age'],
  lastEventStatus: ['Ultima stare', 'Last status'],
  lastEventCode: ['Cod curier', 'Courier code'],
  lastEventDescription: ['Ultimul eveniment', 'Last event'],
  lastEventAt: ['La', 'At'],
  codAmount: ['Ramburs', 'COD'],
  codCurrency: ['Moneda ramburs', 'COD currency'],
  operation: ['Operația', 'Operation'],
  method: ['Metoda', 'Method'],
  url: ['URL', 'URL'],
  responseStatus: ['Cod HTTP', 'HTTP status'],
  latencyMs: ['Durata (ms)', 'Latency (ms)'],
  warehouseId: ['Depozit (id)', 'Warehouse (id)'],
  warehouseCode: ['Depozit', 'Warehouse'],
  binCode: ['Locație', 'Bin'],
  sku: ['Cod produs', 'SKU'],
  productName: ['Produs', 'Product'],
  onHandDelta: ['Δ în stoc', 'Δ on hand'],
  reservedDelta: ['Δ rezervat', 'Δ reserved'],
  causeType: ['Cauza', 'Cause'],
  causeId: ['Document', 'Document'],
  note: ['Notă', 'Note'],
  deliveryNoteId: ['Aviz', 'Delivery note'],
  lineNo: ['Linia', 'Line'],
  needed: ['Necesar', 'Needed'],
  available: ['Disponibil', 'Available'],
  missing: ['Lipsă', 'Missing'],
  reason: ['Motiv', 'Reason'],
  returns: ['Retururi', 'Returns'],
  delivered: ['Livrate', 'Delivered'],
  returnRate: ['Rata de retur (%)', 'Return rate (%)'],
  restocked: ['Repus în stoc', 'Restocked'],
  quarantined: ['Carantină', 'Quarantined'],
  units: ['Bucăți', 'Units'],
  manual: ['Manuale (fără stoc)', 'Manual (no stock)'],
  reasons: ['Motive', 'Reasons'],
  // Chart series that are not statuses or couriers.
  'RON store': ['RON magazin', 'RON store'],
  'RON invoiced': ['RON facturat net', 'RON invoiced net'],
  'EUR store': ['EUR magazin', 'EUR store'],
  'EUR invoiced': ['EUR facturat net', 'EUR invoiced net'],
};

export const reportTitle = (lang: Language, name: string): [title: string, purpose: string] => TITLES[name]?.[lang] ?? [name, ''];

/** The word for a column, filter or series key; an unknown key is shown as it is. */
export const reportWord = (lang: Language, key: string): string => {
  const w = WORDS[key];
  return w ? w[lang === 'ro' ? 0 : 1] : key;
};
