import type { Language } from '../../auth/index.ts';

/**
 * The returns screens' words (issue 13), Romanian and English: the list, a return's page, starting
 * one from the order, the receipt by scan on the phone and the quarantine. Kept beside i18n.ts so
 * the screens of one flow read their words from one place.
 */
const WORDS = {
  returnsTab: { ro: 'Retururi', en: 'Returns' },
  quarantineTab: { ro: 'Carantină', en: 'Quarantine' },
  returnsTitle: { ro: 'Retururi', en: 'Returns' },
  returnTitle: { ro: 'Retur', en: 'Return' },
  noReturns: { ro: 'Niciun retur pentru acești filtri.', en: 'No returns for these filters.' },
  allChannels: { ro: 'Toate canalele', en: 'All channels' },
  channel: { ro: 'Canal', en: 'Channel' },
  from: { ro: 'De la', en: 'From' },
  to: { ro: 'Până la', en: 'To' },
  nextPage: { ro: 'Pagina următoare', en: 'Next page' },
  firstPage: { ro: 'Prima pagină', en: 'First page' },
  type: { ro: 'Tip', en: 'Type' },
  type_fully: { ro: 'Total', en: 'Full' },
  type_partially: { ro: 'Parțial', en: 'Partial' },
  type_manual: { ro: 'Manual (fără colet)', en: 'Manual (no parcel)' },
  typeHelp: { ro: 'Manual: o ajustare fără retur fizic (de ex. produs defect); se creditează fără să se miște stocul.', en: 'Manual: an adjustment without a physical return (e.g. defective goods); credited without moving stock.' },
  status_requested: { ro: 'Cerut', en: 'Requested' },
  status_receiving: { ro: 'În recepție', en: 'Receiving' },
  status_received: { ro: 'Recepționat', en: 'Received' },
  status_approved: { ro: 'Aprobat', en: 'Approved' },
  status_settling: { ro: 'Se decontează', en: 'Settling' },
  status_settled: { ro: 'Decontat', en: 'Settled' },
  status_cancelled: { ro: 'Anulat', en: 'Cancelled' },
  money_credit_note: { ro: 'Notă de credit', en: 'Credit note' },
  money_voucher: { ro: 'Voucher', en: 'Voucher' },
  money_refund: { ro: 'Rambursare în magazin', en: 'Refund in the store' },
  unitsWord: { ro: 'buc.', en: 'units' },
  orderWord: { ro: 'Comanda', en: 'Order' },
  createdAt: { ro: 'Creat', en: 'Created' },
  lineNo: { ro: 'Linia', en: 'Line' },
  reason: { ro: 'Motiv', en: 'Reason' },
  asked: { ro: 'Cerut', en: 'Asked' },
  received: { ro: 'Primit', en: 'Received' },
  restocked: { ro: 'În stoc', en: 'Restocked' },
  quarantined: { ro: 'Carantină', en: 'Quarantined' },
  receiptTitle: { ro: 'Recepție retur', en: 'Goods return receipt' },
  receiptOpen: { ro: 'deschisă', en: 'open' },
  receiptApproved: { ro: 'aprobată', en: 'approved' },
  noReceipt: { ro: 'Nimic recepționat încă.', en: 'Nothing received yet.' },
  destRestock: { ro: 'Repus în stoc', en: 'Restock' },
  destQuarantine: { ro: 'Carantină', en: 'Quarantine' },
  moneyBackTitle: { ro: 'Banii înapoi', en: 'Money back' },
  moneyBackHelp: { ro: 'Alegeți cum primește clientul banii: notă de credit (factură storno parțială, trimisă în e-Factura), voucher sau rambursare în magazin.', en: 'Choose how the customer gets the money back: a credit note (partial storno invoice, sent to e-Factura), a voucher or a refund in the store.' },
  moneyBackAfterApproval: { ro: 'Banii se dau înapoi după aprobarea returului.', en: 'Money is given back once the return is approved.' },
  moneyBackDone: { ro: 'Ales', en: 'Chosen' },
  moneyBackRef: { ro: 'Referință', en: 'Reference' },
  moneyBackError: { ro: 'Magazinul a refuzat', en: 'The store refused' },
  moneyBackRefused: { ro: 'Refuzat', en: 'Refused' },
  creditNote: { ro: 'Nota de credit', en: 'Credit note' },
  openPdf: { ro: 'PDF', en: 'PDF' },
  eFactura: { ro: 'e-Factura', en: 'e-Factura' },
  eState_pending: { ro: 'de trimis la ANAF', en: 'to send to ANAF' },
  eState_in_processing: { ro: 'trimisă, în procesare la ANAF', en: 'sent, being processed by ANAF' },
  eState_ok: { ro: 'acceptată de ANAF', en: 'accepted by ANAF' },
  eState_nok: { ro: 'respinsă de ANAF', en: 'rejected by ANAF' },
  eState_held: { ro: 'oprită (de verificat)', en: 'held (to check)' },
  eState_none: { ro: 'netrimisă încă', en: 'not sent yet' },
  awbTitle: { ro: 'AWB de retur', en: 'Return AWB' },
  awbNone: { ro: 'Niciun AWB înregistrat.', en: 'No AWB recorded.' },
  lockerReturn: { ro: 'Retur prin locker', en: 'Locker return' },
  lockerPin: { ro: 'PIN locker (de trimis clientului)', en: 'Locker PIN (send it to the customer)' },
  courier: { ro: 'Curier', en: 'Courier' },
  awb: { ro: 'AWB', en: 'AWB' },
  recordAwb: { ro: 'Înregistrează AWB-ul', en: 'Record the AWB' },
  awbSaved: { ro: 'AWB-ul de retur a fost înregistrat.', en: 'The return AWB is recorded.' },
  cancelReturn: { ro: 'Anulează returul', en: 'Cancel the return' },
  cancelReason: { ro: 'Motivul anulării', en: 'Why it is cancelled' },
  cancelled: { ro: 'Returul a fost anulat; scanările lui au fost anulate.', en: 'The return is cancelled; its scans are undone.' },
  approve: { ro: 'Aprobă recepția', en: 'Approve the receipt' },
  approveManual: { ro: 'Aprobă returul manual', en: 'Approve the manual return' },
  approved: { ro: 'Aprobat: stocul a fost mișcat (repus sau în carantină).', en: 'Approved: the stock is moved (restocked or quarantined).' },
  approvedManual: { ro: 'Aprobat: returul manual nu mișcă stocul.', en: 'Approved: a manual return moves no stock.' },
  settlingFlash: { ro: 'Cererea a plecat spre magazin; returul se decontează când magazinul răspunde.', en: 'Sent to the store; the return is settled when the store answers.' },
  settled: { ro: 'Banii înapoi au fost dați', en: 'Money back given' },
  scanOnPhone: { ro: 'Recepție prin scanare', en: 'Receive by scan' },
  startReturn: { ro: 'Începe un retur', en: 'Start a return' },
  startReturnFor: { ro: 'Retur pentru comanda', en: 'Return of order' },
  startSubmit: { ro: 'Creează returul', en: 'Create the return' },
  returnable: { ro: 'Se poate returna', en: 'Returnable' },
  delivered: { ro: 'Livrat', en: 'Delivered' },
  alreadyReturned: { ro: 'Deja returnat', en: 'Already returned' },
  qtyToReturn: { ro: 'Bucăți', en: 'Units' },
  windowEnds: { ro: 'Fereastra de retur se închide', en: 'The return window closes' },
  windowClosed: { ro: 'Fereastra de retur s-a închis', en: 'The return window is closed' },
  notReturnable: { ro: 'Comanda nu poate fi returnată acum', en: 'The order cannot be returned now' },
  note: { ro: 'Notă', en: 'Note' },
  refused: { ro: 'Returul este refuzat', en: 'The return is refused' },
  chooseAtLeastOne: { ro: 'Alegeți cel puțin o linie cu o cantitate și un motiv.', en: 'Choose at least one line with a quantity and a reason.' },
  reasonRequired: { ro: 'motivul lipsește', en: 'the reason is missing' },
  qtyInvalid: { ro: 'cantitatea trebuie să fie un număr întreg pozitiv', en: 'the quantity must be a positive whole number' },
  returnCreated: { ro: 'Returul a fost creat.', en: 'The return is created.' },
  orderReturns: { ro: 'Retururile comenzii', en: 'Returns of this order' },
  // The phone: scan the parcel, then each item.
  scanParcelTitle: { ro: 'Recepție retur', en: 'Receive a return' },
  scanParcelHint: { ro: 'Scanați AWB-ul de retur sau numărul comenzii.', en: 'Scan the return AWB or the order number.' },
  parcelCode: { ro: 'AWB sau nr. comandă', en: 'AWB or order number' },
  find: { ro: 'Caută', en: 'Find' },
  parcelNotFound: { ro: 'Niciun retur deschis pentru acest cod', en: 'No open return for this code' },
  chooseReturn: { ro: 'Mai multe retururi deschise: alegeți unul.', en: 'Several open returns: choose one.' },
  scanItemHint: { ro: 'Scanați codul de bare (EAN) al fiecărui produs.', en: 'Scan each item’s barcode (EAN).' },
  itemBarcode: { ro: 'Cod de bare produs', en: 'Item barcode' },
  chooseDestination: { ro: 'Repus în stoc (scanați locația) sau carantină?', en: 'Restock (scan the bin) or quarantine?' },
  restockToBin: { ro: 'Repune în stoc', en: 'Restock to bin' },
  toQuarantine: { ro: 'Carantină', en: 'Quarantine' },
  otherItem: { ro: 'Alt produs', en: 'Another item' },
  binToRestock: { ro: 'Locația (pentru repunere în stoc)', en: 'Bin (for restock)' },
  scanReceived: { ro: 'Recepționat', en: 'Received' },
  overScan: { ro: 'Scanat în plus: toate bucățile acestei linii sunt deja primite', en: 'Over-scan: every unit of this line is received already' },
  foreignItem: { ro: 'Produsul nu este în acest retur', en: 'This item is not on this return' },
  unknownBarcode: { ro: 'Cod de bare necunoscut', en: 'Unknown barcode' },
  unknownBin: { ro: 'Locație necunoscută în acest depozit', en: 'No such bin in this warehouse' },
  binRequired: { ro: 'Scanați locația pentru repunere în stoc', en: 'Scan the bin to restock' },
  allReceived: { ro: 'Toate produsele au fost primite: aprobați recepția.', en: 'Everything has come back: approve the receipt.' },
  notReceivable: { ro: 'Acest retur nu mai primește scanări', en: 'This return takes no more scans' },
  manualNoScan: { ro: 'Retur manual: nu vine niciun colet; aprobați-l din pagina returului.', en: 'Manual return: no parcel comes back; approve it on the return’s page.' },
  backToReturn: { ro: 'Pagina returului', en: 'The return’s page' },
  // Quarantine.
  quarantineTitle: { ro: 'Carantină', en: 'Quarantine' },
  quarantineIntro: { ro: 'Bucăți returnate ținute deoparte (nu se vând): eliberați-le într-o locație sau casați-le.', en: 'Returned units held apart (not sellable): release them to a bin or scrap them.' },
  noQuarantine: { ro: 'Nimic în carantină.', en: 'Nothing in quarantine.' },
  held: { ro: 'În carantină', en: 'Held' },
  releasedWord: { ro: 'Eliberat', en: 'Released' },
  scrapped: { ro: 'Casat', en: 'Scrapped' },
  age: { ro: 'Vechime', en: 'Age' },
  days: { ro: 'zile', en: 'days' },
  today: { ro: 'azi', en: 'today' },
  release: { ro: 'Eliberează în locație', en: 'Release to bin' },
  scrap: { ro: 'Casează', en: 'Scrap' },
  scrapNote: { ro: 'De ce se casează', en: 'Why scrapped' },
  releasedOk: { ro: 'Eliberat în stoc', en: 'Released to stock' },
  scrappedOk: { ro: 'Casat (nu mai intră în stoc)', en: 'Scrapped (never back in stock)' },
  scrapNoteRequired: { ro: 'Scrieți de ce se casează', en: 'Write why the units are scrapped' },
  onePerScan: { ro: 'O bucată la fiecare scanare.', en: 'One unit per scan.' },
  moneyBackByOperator: { ro: 'Banii înapoi îi alege un operator.', en: 'An operator chooses the money back.' },
  error: { ro: 'Nu s-a putut', en: 'Could not be done' },
} as const satisfies Record<string, Record<Language, string>>;

export type ReturnWordKey = keyof typeof WORDS;
export type ReturnWords = (key: ReturnWordKey) => string;

export const returnWords = (lang: Language): ReturnWords => (key) => WORDS[key][lang];

/** A word chosen by a value (a status, a type, a money-back kind), or the value itself when there is none. */
export function wordOf(w: ReturnWords, prefix: 'status_' | 'type_' | 'money_' | 'eState_', value: string | null | undefined): string {
  if (!value) return '—';
  const key = `${prefix}${value}`;
  return key in WORDS ? w(key as ReturnWordKey) : value;
}

/**
 * The returns area names a refused line with an English reason (the API's words); the screens show
 * it in the operator's language. Each pattern is one reason return-eligibility.ts gives; an unknown
 * one is shown as it is rather than hidden.
 */
const RO_REASONS: Array<[RegExp, (...m: string[]) => string]> = [
  [/^line (\d+) \((.+)\): (\d+) asked, at most (\d+) \(delivered (\d+) less (\d+) already returned\)$/, (n, s, q, m, d, r) => `linia ${n} (${s}): cerute ${q}, cel mult ${m} (livrate ${d} minus ${r} deja returnate)`],
  [/^line (\d+) \((.+)\): (.+)$/, (n, s, rest) => `linia ${n} (${s}): ${roReason(rest)}`],
  [/^the order has no line (\d+)$/, (n) => `comanda nu are linia ${n}`],
  [/^line (\d+) is given twice$/, (n) => `linia ${n} apare de două ori`],
  [/^the product is not returnable$/, () => 'produsul nu se poate returna'],
  [/^all (\d+) delivered unit\(s\) are already returned$/, (d) => `toate cele ${d} bucăți livrate sunt deja returnate`],
  [/^nothing of this line was delivered$/, () => 'nimic din această linie nu a fost livrat'],
  [/^the order is (\w+); only a delivered order is returned$/, (s) => `comanda este ${s}; se returnează doar o comandă livrată`],
  [/^outside the return window: (\d+) days from delivery ended (\S+)$/, (d, e) => `în afara ferestrei de retur: cele ${d} ${Number(d) >= 20 ? 'de ' : ''}zile de la livrare s-au încheiat pe ${e}`],
];

function roReason(reason: string): string {
  return reason
    .split('; ')
    .map((part) => {
      for (const [re, f] of RO_REASONS) {
        const m = re.exec(part);
        if (m) return f(...m.slice(1));
      }
      return part;
    })
    .join('; ');
}

export const returnReason = (lang: Language, reason: string): string => (lang === 'ro' ? roReason(reason) : reason);
