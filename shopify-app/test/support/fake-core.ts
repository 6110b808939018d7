import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type CoreAnswer = { status: number; body: unknown };

export type FakeCore = {
  url: string;
  requests: { path: string; query: URLSearchParams; headers: IncomingHttpHeaders }[];
  /** What the next GET /api/v1/orders answers; by default the two sample pages below. */
  answer: ((query: URLSearchParams) => CoreAnswer) | undefined;
  /** What /api/v1/installations/shopify answers; by default an installed, connected shop. */
  installation?: CoreAnswer;
  /** What GET /api/v1/stalls lists; by default one unknown-SKU stall of order 14. */
  stalls?: unknown[];
  /** The POSTs received (path and JSON body); POST /api/v1/orders/{id}/invoice answers 201 with an invoice. */
  posts: { path: string; body: unknown }[];
  close(): Promise<void>;
};

export const SAMPLE_ORDERS = [
  {
    id: '12',
    channelId: '1',
    externalOrderId: '820982911946154508',
    externalNumber: '#9999',
    status: 'on_hold',
    statusCode: 9,
    approvalStatus: 'approved',
    paymentStatus: 'paid',
    holdReason: 'SKU TSHIRT-M short by 2 in Bucharest',
    total: '199.00',
    currency: 'RON',
    clientName: 'Jane Doe',
    createdAt: '2026-11-23T09:14:00.000Z',
    awbs: [] as Array<{ shipmentId: string; courier: string; awb: string | null; trackingUrl: string | null; status: string }>,
  },
  {
    id: '13',
    channelId: '1',
    externalOrderId: '820982911946154509',
    externalNumber: '#10000',
    status: 'shipping',
    statusCode: 4,
    approvalStatus: null,
    paymentStatus: 'pending',
    holdReason: null,
    total: '84.50',
    currency: 'RON',
    clientName: null,
    createdAt: '2026-11-23T10:02:00.000Z',
    awbs: [{ shipmentId: '7', courier: 'sameday', awb: '1SDY00012345', trackingUrl: 'https://sameday.ro/#awb=1SDY00012345', status: 'in_transit' }],
  },
  {
    id: '14',
    channelId: '1',
    externalOrderId: '820982911946154510',
    externalNumber: '#10001',
    status: 'new',
    statusCode: 1,
    approvalStatus: 'pending',
    paymentStatus: 'paid',
    holdReason: null,
    total: '1250.00',
    currency: 'RON',
    clientName: 'SC Exemplu SRL',
    createdAt: '2026-11-23T11:40:00.000Z',
    awbs: [],
  },
];

const SECOND_PAGE = [
  {
    ...SAMPLE_ORDERS[0],
    id: '15',
    externalOrderId: '820982911946154511',
    externalNumber: '#10002',
    status: 'delivered',
    statusCode: 5,
    holdReason: null,
  },
];

/** A stand-in for the Expedio core that speaks its GET /api/v1/orders contract. */
export async function startFakeCore(): Promise<FakeCore> {
  const fake: FakeCore = {
    url: '',
    requests: [],
    answer: undefined,
    posts: [],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    fake.requests.push({ path: url.pathname, query: url.searchParams, headers: req.headers });
    let answer: CoreAnswer;
    const invoice = req.method === 'POST' ? /^\/api\/v1\/orders\/(\d+)\/invoice$/.exec(url.pathname) : null;
    if (invoice) {
      let text = '';
      for await (const chunk of req) text += chunk;
      fake.posts.push({ path: url.pathname, body: text ? JSON.parse(text) : null });
      answer = { status: 201, body: { invoiceId: '90', number: 'TOT9', created: true, eInvoice: false } };
    } else if (url.pathname === '/api/v1/installations/shopify') {
      // The shop is connected: what GET /api/v1/installations/shopify answers for an installed shop.
      answer = fake.installation ?? {
        status: 200,
        body: { shop: 'expedio-test.myshopify.com', installed: true, tenantId: '1', channelId: '1', channelStatus: 'active', statusReason: null, hasAccessToken: true, scopes: 'read_orders', needsAuthorization: false },
      };
    } else if (url.pathname === '/api/v1/stalls') {
      answer = { status: 200, body: { stalls: fake.stalls ?? [{ kind: 'order.unknown_sku', subjectType: 'order', subjectId: '14', message: 'Order 14 (#10001) has a line with an unknown SKU', why: 'SKU X-1 is not in the catalog.', fix: 'Add the product, then confirm.', link: null, since: '2026-11-23T11:40:00.000Z', storeDifference: null }] } };
    } else if (req.method !== 'GET' || url.pathname !== '/api/v1/orders') {
      answer = { status: 404, body: { error: { code: 'NOT_FOUND', message: `No route ${req.method} ${url.pathname}.`, details: [] } } };
    } else if (fake.answer) {
      answer = fake.answer(url.searchParams);
    } else if (url.searchParams.get('cursor') === 'page-2') {
      answer = { status: 200, body: { orders: SECOND_PAGE, nextCursor: null } };
    } else {
      answer = { status: 200, body: { orders: SAMPLE_ORDERS, nextCursor: 'page-2' } };
    }
    res.writeHead(answer.status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
