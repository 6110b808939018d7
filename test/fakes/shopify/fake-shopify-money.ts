/**
 * Money back on the fake Shopify (GraphQL Admin API, contract §3.6): an order's `transactions`
 * (SALE / CAPTURE / REFUND with parentTransaction) and `refunds`; `refundCreate` checking what
 * Shopify checks — each transaction's parent a successful SALE or CAPTURE of the order, the
 * amount not above what is left on it, each refund line an order line item, its quantity not
 * above what is left to refund — and answering `userErrors` otherwise; the `@idempotent(key:)`
 * directive from 2026-01 (a GraphQL error before; a repeated key returns the first answer, with
 * other input IDEMPOTENCY_KEY_PARAMETER_MISMATCH); `giftCards(query:)` by code and
 * `giftCardCreate` (code 8–20 letters and digits, TAKEN when in use). Throttling and forced
 * failures come from the fake's GraphQL endpoint, like every other document.
 */

type Node = Record<string, unknown>;

export interface FakeTransaction {
  id: string;
  kind: 'SALE' | 'CAPTURE' | 'AUTHORIZATION' | 'REFUND';
  status: 'SUCCESS' | 'FAILURE' | 'PENDING';
  gateway: string;
  amount: string;
  currencyCode: string;
  parentId: string | null;
}

export interface FakeRefund {
  id: string;
  orderId: string;
  note: string | null;
  amount: string;
  currencyCode: string;
  lines: Array<{ lineItemId: string; quantity: number; restockType: string }>;
  shipping: string | null;
  transactionIds: string[];
  notify: boolean;
}

export interface FakeGiftCard {
  id: string;
  code: string;
  initialValue: string;
  note: string | null;
}

export interface MoneyStore {
  transactions: Map<string, FakeTransaction[]>;
  refunds: FakeRefund[];
  giftCards: FakeGiftCard[];
  /** The shop's currency (gift cards are in it). */
  currencyCode: string;
  /** A paid order: one successful SALE of `amount` through `gateway`. */
  addSale(orderGid: string, amount: string, opts?: { gateway?: string; currencyCode?: string; kind?: 'SALE' | 'CAPTURE' }): FakeTransaction;
  route(query: string, variables: Node, apiVersion: string): { cost: number; run: () => unknown; errors?: Node[] } | null;
}

const cents = (s: unknown) => Math.round(Number(s) * 100);
const money = (c: number) => (c / 100).toFixed(2);

function argVar(query: string, field: string, arg: string, variables: Node): unknown {
  const m = new RegExp(`\\b${field}\\s*\\([^)]*?\\b${arg}\\s*:\\s*\\$(\\w+)`).exec(query);
  return m ? variables[m[1]!] : undefined;
}

export function createMoneyStore(orders: Map<string, Node>): MoneyStore {
  const transactions = new Map<string, FakeTransaction[]>();
  const refunds: FakeRefund[] = [];
  const giftCards: FakeGiftCard[] = [];
  const idempotent = new Map<string, { input: string; answer: unknown }>();
  let seq = 5_500_000;
  const store: MoneyStore = {
    transactions,
    refunds,
    giftCards,
    currencyCode: 'RON',
    addSale(orderGid, amount, opts = {}) {
      const t: FakeTransaction = {
        id: `gid://shopify/OrderTransaction/${seq++}`,
        kind: opts.kind ?? 'SALE',
        status: 'SUCCESS',
        gateway: opts.gateway ?? 'shopify_payments',
        amount,
        currencyCode: opts.currencyCode ?? 'RON',
        parentId: null,
      };
      transactions.set(orderGid, [...(transactions.get(orderGid) ?? []), t]);
      return t;
    },
    route(query, variables, apiVersion) {
      if (/\brefundCreate\s*\(/.test(query)) {
        const key = /@idempotent\s*\(\s*key\s*:\s*"([^"]+)"/.exec(query)?.[1] ?? null;
        if (key && apiVersion < '2026-01') {
          return { cost: 0, run: () => null, errors: [{ message: "Directive 'idempotent' doesn't exist", extensions: { code: 'undefinedDirective' } }] };
        }
        if (!key && apiVersion >= '2026-04') {
          return { cost: 0, run: () => null, errors: [{ message: 'The @idempotent directive is required for this mutation.', extensions: { code: 'BAD_REQUEST' } }] };
        }
        const input = (variables[String(/refundCreate\s*\(\s*input\s*:\s*\$(\w+)/.exec(query)?.[1] ?? 'input')] ?? {}) as Node;
        return {
          cost: 10,
          run: () => {
            if (key) {
              const seen = idempotent.get(key);
              if (seen && seen.input === JSON.stringify(input)) return seen.answer;
              if (seen) return { refundCreate: { refund: null, userErrors: [{ field: null, message: 'The idempotency key was used with other parameters.', code: 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH' }] } };
            }
            const answer = { refundCreate: createRefund(input) };
            if (key) idempotent.set(key, { input: JSON.stringify(input), answer });
            return answer;
          },
        };
      }
      if (/\bgiftCardCreate\s*\(/.test(query)) {
        const input = (variables['input'] ?? {}) as Node;
        return { cost: 10, run: () => ({ giftCardCreate: createGiftCard(input) }) };
      }
      if (/\bgiftCards\s*\(/.test(query)) {
        const q = String(argVar(query, 'giftCards', 'query', variables) ?? '').trim().toLowerCase();
        // Shopify's default search field is the code (a full code finds its card).
        const found = q ? giftCards.filter((g) => g.code.toLowerCase() === q) : giftCards;
        return { cost: 12, run: () => ({ giftCards: { nodes: found.map((g) => ({ id: g.id, lastCharacters: g.code.slice(-4), initialValue: { amount: g.initialValue, currencyCode: store.currencyCode }, note: g.note })) } }) };
      }
      if (/\border\s*\(/.test(query) && /\btransactions\b/.test(query) && /\brefunds\b/.test(query)) {
        const id = String(argVar(query, 'order', 'id', variables) ?? '');
        return {
          cost: 12,
          run: () => {
            if (!orders.has(id)) return { order: null };
            return {
              order: {
                id,
                transactions: (transactions.get(id) ?? []).map((t) => ({
                  id: t.id,
                  kind: t.kind,
                  status: t.status,
                  gateway: t.gateway,
                  amountSet: { shopMoney: { amount: t.amount, currencyCode: t.currencyCode } },
                  parentTransaction: t.parentId ? { id: t.parentId } : null,
                })),
                refunds: refunds.filter((r) => r.orderId === id).map((r) => ({ id: r.id, note: r.note, totalRefundedSet: { shopMoney: { amount: r.amount, currencyCode: r.currencyCode } } })),
              },
            };
          },
        };
      }
      return null;
    },
  };

  function createRefund(input: Node) {
    const err = (field: string[] | null, message: string) => ({ refund: null, userErrors: [{ field, message }] });
    const orderId = String(input['orderId'] ?? '');
    const order = orders.get(orderId);
    if (!order) return err(['orderId'], 'Order does not exist');
    const lineNodes = ((order['lineItems'] as { nodes?: Node[] } | undefined)?.nodes ?? []) as Node[];
    const lines = (input['refundLineItems'] as Array<Node> | undefined) ?? [];
    for (const [i, l] of lines.entries()) {
      const li = lineNodes.find((x) => x['id'] === l['lineItemId']);
      if (!li) return err(['refundLineItems', String(i), 'lineItemId'], 'Line item does not exist');
      const refunded = refunds.filter((r) => r.orderId === orderId).flatMap((r) => r.lines).filter((x) => x.lineItemId === l['lineItemId']).reduce((s, x) => s + x.quantity, 0);
      if (Number(l['quantity']) > Number(li['quantity']) - refunded) return err(['refundLineItems', String(i), 'quantity'], 'Quantity cannot refund more items than were purchased');
    }
    const txs = transactions.get(orderId) ?? [];
    const made: FakeTransaction[] = [];
    for (const [i, t] of ((input['transactions'] as Array<Node> | undefined) ?? []).entries()) {
      const parent = txs.find((x) => x.id === t['parentId']);
      if (parent?.status !== 'SUCCESS' || (parent.kind !== 'SALE' && parent.kind !== 'CAPTURE')) return err(['transactions', String(i), 'parentId'], 'Parent transaction must be a successful sale or capture');
      if (t['kind'] !== 'REFUND') return err(['transactions', String(i), 'kind'], 'Kind must be refund');
      const left = cents(parent.amount) - txs.filter((x) => x.kind === 'REFUND' && x.status === 'SUCCESS' && x.parentId === parent.id).reduce((s, x) => s + cents(x.amount), 0) - made.filter((x) => x.parentId === parent.id).reduce((s, x) => s + cents(x.amount), 0);
      if (cents(t['amount']) > left) return err(['transactions', String(i), 'amount'], `Amount cannot be greater than the refundable amount of ${money(left)}`);
      made.push({ id: `gid://shopify/OrderTransaction/${seq++}`, kind: 'REFUND', status: 'SUCCESS', gateway: parent.gateway, amount: money(cents(t['amount'])), currencyCode: parent.currencyCode, parentId: parent.id });
    }
    transactions.set(orderId, [...txs, ...made]);
    const refund: FakeRefund = {
      id: `gid://shopify/Refund/${seq++}`,
      orderId,
      note: typeof input['note'] === 'string' ? input['note'] : null,
      amount: money(made.reduce((s, x) => s + cents(x.amount), 0)),
      currencyCode: made[0]?.currencyCode ?? store.currencyCode,
      lines: lines.map((l) => ({ lineItemId: String(l['lineItemId']), quantity: Number(l['quantity']), restockType: String(l['restockType'] ?? 'RETURN') })),
      shipping: (input['shipping'] as Node | undefined)?.['amount'] != null ? String((input['shipping'] as Node)['amount']) : null,
      transactionIds: made.map((x) => x.id),
      notify: input['notify'] === true,
    };
    refunds.push(refund);
    return { refund: { id: refund.id, note: refund.note, totalRefundedSet: { shopMoney: { amount: refund.amount, currencyCode: refund.currencyCode } } }, userErrors: [] };
  }

  function createGiftCard(input: Node) {
    const code = typeof input['code'] === 'string' ? input['code'] : `GC${seq}`;
    const err = (field: string[], message: string, code: string) => ({ giftCard: null, giftCardCode: null, userErrors: [{ field, message, code }] });
    if (!/^[A-Za-z0-9]{8,20}$/.test(code)) return err(['input', 'code'], 'Code must be between 8 and 20 characters and contain only letters and numbers', 'INVALID');
    if (giftCards.some((g) => g.code.toLowerCase() === code.toLowerCase())) return err(['input', 'code'], 'Code has already been taken', 'TAKEN');
    if (!(cents(input['initialValue']) > 0)) return err(['input', 'initialValue'], 'Initial value must be greater than 0', 'GREATER_THAN');
    const g: FakeGiftCard = { id: `gid://shopify/GiftCard/${seq++}`, code, initialValue: money(cents(input['initialValue'])), note: typeof input['note'] === 'string' ? input['note'] : null };
    giftCards.push(g);
    return { giftCard: { id: g.id, lastCharacters: code.slice(-4), initialValue: { amount: g.initialValue, currencyCode: store.currencyCode } }, giftCardCode: code, userErrors: [] };
  }

  return store;
}
