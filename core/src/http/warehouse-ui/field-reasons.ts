import type { Language } from '../../auth/index.ts';

/**
 * The domain names a refused field with an English reason (the API's words); the desk screens show
 * it in the operator's language. Each pattern is one reason the order and client checks give; an
 * unknown reason is shown as it is rather than hidden.
 */
const RO: Array<[RegExp, (...m: string[]) => string]> = [
  [/^CUI (\d+) fails the checksum$/, (c) => `CUI-ul ${c} nu trece verificarea cifrei de control`],
  [/^a CUI is 2 to 10 digits, optionally after RO$/, () => 'CUI-ul are 2–10 cifre, eventual precedate de RO'],
  [/^required for a company$/, () => 'obligatoriu pentru o persoană juridică'],
  [/^give a name or an e-mail$/, () => 'completați un nume sau un e-mail'],
  [/^a trade register number looks like (.+)$/, (x) => `numărul de ordine în Registrul Comerțului arată ca ${x}`],
  [/^not an IBAN \((.+)\)$/, (x) => `nu este un IBAN (${x})`],
  [/^the IBAN check digits do not match$/, () => 'cifrele de control ale IBAN-ului nu se potrivesc'],
  [/^not an e-mail address$/, () => 'nu este o adresă de e-mail'],
  [/^not a phone number$/, () => 'nu este un număr de telefon'],
  [/^used by client (\d+)$/, (id) => `folosit deja de clientul ${id}`],
  [/^required: street and number$/, () => 'obligatoriu: strada și numărul'],
  [/^required: the locality$/, () => 'obligatoriu: localitatea'],
  [/^required: the county$/, () => 'obligatoriu: județul'],
  [/^(.+) is not a Romanian county$/, (x) => `${x} nu este un județ din România`],
  [/^a two-letter country code \(RO\)$/, () => 'codul țării din două litere (RO)'],
  [/^no product (.+) in the catalog$/, (x) => `produsul ${x} nu există în catalog`],
  [/^required: price list (\d+) has no price for (.+)$/, (l, s) => `obligatoriu: lista de prețuri ${l} nu are preț pentru ${s}`],
  [/^required: the channel has no price list$/, () => 'obligatoriu: canalul nu are listă de prețuri'],
  [/^required: the client has no address on record$/, () => 'obligatoriu: clientul nu are o adresă salvată'],
  [/^more than the line is worth$/, () => 'mai mult decât valoarea liniei'],
  [/^must be a whole number from 1$/, () => 'un număr întreg, cel puțin 1'],
  [/^must be an amount like (.+)$/, (x) => `o sumă, de exemplu ${x}`],
  [/^an order needs at least one item$/, () => 'comanda are nevoie de cel puțin un produs'],
  [/^a cash-on-delivery order is paid to the courier$/, () => 'o comandă cu ramburs se plătește curierului'],
  [/^pick a client \(clientId\) or create one \(client\)$/, () => 'alegeți un client sau creați unul'],
  [/^used by order (\d+)$/, (id) => `folosită deja de comanda ${id}`],
  [/^same client as the kept one$/, () => 'este chiar clientul păstrat'],
  [/^unknown client$/, () => 'clientul nu există'],
  [/^must be a client id$/, () => 'id-ul unui client'],
  [/^required$/, () => 'obligatoriu'],
];

export function fieldReason(lang: Language, reason: string): string {
  let out = reason;
  if (lang === 'ro') {
    for (const [re, ro] of RO) {
      const m = re.exec(reason);
      if (m) {
        out = ro(...m.slice(1));
        break;
      }
    }
  }
  return out.charAt(0).toUpperCase() + out.slice(1);
}
