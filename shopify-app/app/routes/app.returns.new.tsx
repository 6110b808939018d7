import { TitleBar } from '@shopify/app-bridge-react';
import { Banner, BlockStack, Button, Card, InlineStack, Layout, Page, Select, Text, TextField } from '@shopify/polaris';
import { useState } from 'react';
import { Form, Link, useActionData, useLoaderData, useNavigation } from 'react-router';
import { PageErrorBanners } from '../components/ui';
import { attempt, type CoreErrorView, core, errorView } from '../core-api.server';
import type { OrderDetail } from '../generated/expedio-api';
import { type MessageKey, useT } from '../i18n';
import { authenticate } from '../shopify.server';
import type { Route } from './+types/app.returns.new';

type Returnable = {
  orderStatus: string;
  deliveredAt: string | null;
  windowDays: number;
  windowEndsAt: string | null;
  withinWindow: boolean;
  reason: string | null;
  lines: Array<{ orderLineNo: number; sku: string | null; name: string; delivered: number; alreadyReturned: number; returnable: number; reasons: string[] }>;
};
type StartedReturn = { id: string; status: string; type: string; lines: Array<{ sku: string | null; name: string; quantity: number }> };
const TYPES = ['partially', 'fully', 'manual'] as const;

export async function loader({ request }: Route.LoaderArgs) {
  await authenticate.admin(request);
  const orderId = new URL(request.url).searchParams.get('orderId') ?? '';
  if (!/^\d{1,18}$/.test(orderId)) {
    return { order: null, returnable: null, error: { status: 400, code: 'VALIDATION', message: 'Open a return from an order: orderId is missing.', details: [{ path: 'orderId', reason: 'required' }] } as CoreErrorView };
  }
  const [order, returnable] = await Promise.all([attempt(core<OrderDetail>(request, `/orders/${orderId}`)), attempt(core<Returnable>(request, `/orders/${orderId}/returnable`))]);
  return {
    order: order.ok ? order.value : null,
    returnable: returnable.ok ? returnable.value : null,
    error: !order.ok ? order.error : !returnable.ok ? returnable.error : null,
  };
}

/** The return as the merchant filled it in: the lines with a quantity; a refusal keeps which line each field error is about. */
export async function action({ request }: Route.ActionArgs) {
  await authenticate.admin(request);
  const form = await request.formData();
  const orderId = String(form.get('orderId') ?? '');
  const type = String(form.get('type') ?? 'partially');
  const note = String(form.get('note') ?? '').trim();
  const lines: Array<{ orderLineNo: number; quantity: number; reason: string }> = [];
  const labels: string[] = [];
  for (const key of form.keys()) {
    const m = /^qty-(\d+)$/.exec(key);
    if (!m) continue;
    const raw = String(form.get(key) ?? '').trim();
    if (raw === '' || raw === '0') continue;
    lines.push({ orderLineNo: Number(m[1]), quantity: Number(raw), reason: String(form.get(`reason-${m[1]}`) ?? '').trim() });
    labels.push(String(form.get(`label-${m[1]}`) ?? `#${m[1]}`));
  }
  try {
    const started = await core<StartedReturn>(request, '/returns', { method: 'POST', body: { orderId, type, ...(lines.length ? { lines } : {}), ...(note ? { note } : {}) } });
    return { started, error: null, lineOf: [] as Array<{ path: string; line: string; reason: string }> };
  } catch (error) {
    const view = errorView(error);
    // "lines[1].quantity" → the second line sent, named as the merchant sees it.
    const lineOf = view.details.map((d) => {
      const i = /^lines\[(\d+)\]/.exec(d.path)?.[1];
      return { path: d.path, line: i !== undefined ? (labels[Number(i)] ?? d.path) : '', reason: d.reason };
    });
    return { started: null, error: view, lineOf };
  }
}

export default function StartReturnPage() {
  const { order, returnable, error } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const navigation = useNavigation();
  const [type, setType] = useState<string>('partially');
  const [qty, setQty] = useState<Record<number, string>>({});
  const [reasons, setReasons] = useState<Record<number, string>>({});
  const [note, setNote] = useState('');
  const number = order ? (order.externalNumber ?? order.externalOrderId) : '';
  const back = order ? { content: t('detail.title', { number }), url: `/app/orders/${order.id}` } : { content: t('orders.title'), url: '/app' };
  return (
    <Page title={t('return.title')} subtitle={order ? t('detail.title', { number }) : undefined} backAction={back}>
      <TitleBar title={t('return.title')} />
      <Layout>
        <PageErrorBanners loadError={error} />
        {result?.error ? (
          <Layout.Section>
            <Banner tone="critical" title={t('return.refused')}>
              <BlockStack gap="100">
                <p>{result.error.message}</p>
                <ul>
                  {result.lineOf.map((d) => (
                    <li key={`${d.path}:${d.reason}`}>{d.line ? t('return.refusedLine', { line: d.line, reason: d.reason }) : `${d.path}: ${d.reason}`}</li>
                  ))}
                </ul>
              </BlockStack>
            </Banner>
          </Layout.Section>
        ) : null}
        {result?.started ? (
          <Layout.Section>
            <Banner tone="success" title={t('return.started', { id: result.started.id })}>
              <p>
                {result.started.lines.map((l) => `${l.quantity} × ${l.sku ?? l.name}`).join(', ')} · <Link to={`/app/orders/${order?.id ?? ''}`}>{t('stalls.openOrder')}</Link>
              </p>
            </Banner>
          </Layout.Section>
        ) : null}
        {returnable && order ? (
          <Layout.Section>
            <Card>
              <Form method="post">
                <input type="hidden" name="orderId" value={order.id} />
                <BlockStack gap="400">
                  <Text as="p" tone={returnable.withinWindow ? 'subdued' : 'caution'}>
                    {returnable.windowEndsAt
                      ? t(returnable.withinWindow ? 'return.window' : 'return.windowOver', { days: returnable.windowDays, date: returnable.windowEndsAt.slice(0, 10) })
                      : (returnable.reason ?? t('return.notDelivered'))}
                  </Text>
                  <Select label={t('return.type')} name="type" options={TYPES.map((x) => ({ label: t(`return.type.${x}` as MessageKey), value: x }))} value={type} onChange={setType} />
                  {returnable.lines.map((l) => {
                    const label = `${l.sku ?? '—'} · ${l.name}`;
                    return (
                      <BlockStack gap="200" key={l.orderLineNo}>
                        <input type="hidden" name={`label-${l.orderLineNo}`} value={l.sku ?? l.name} />
                        <Text as="h3" variant="headingSm">
                          {label}
                        </Text>
                        <Text as="p" variant="bodySm" tone="subdued">
                          {t('return.lineState', { delivered: l.delivered, returned: l.alreadyReturned, returnable: l.returnable })}
                          {l.reasons.length ? ` · ${l.reasons.join('; ')}` : ''}
                        </Text>
                        <InlineStack gap="300" wrap={false}>
                          <div style={{ width: '8rem' }}>
                            <TextField label={t('return.quantity')} name={`qty-${l.orderLineNo}`} type="number" min={0} value={qty[l.orderLineNo] ?? ''} onChange={(v) => setQty({ ...qty, [l.orderLineNo]: v })} autoComplete="off" />
                          </div>
                          <div style={{ flex: 1 }}>
                            <TextField label={t('return.reason')} name={`reason-${l.orderLineNo}`} value={reasons[l.orderLineNo] ?? ''} onChange={(v) => setReasons({ ...reasons, [l.orderLineNo]: v })} autoComplete="off" />
                          </div>
                        </InlineStack>
                      </BlockStack>
                    );
                  })}
                  <TextField label={t('return.note')} name="note" value={note} onChange={setNote} multiline={2} autoComplete="off" />
                  <InlineStack>
                    <Button submit variant="primary" loading={navigation.state === 'submitting'}>
                      {t('return.submit')}
                    </Button>
                  </InlineStack>
                </BlockStack>
              </Form>
            </Card>
          </Layout.Section>
        ) : null}
      </Layout>
    </Page>
  );
}
