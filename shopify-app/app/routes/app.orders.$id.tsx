import { TitleBar } from '@shopify/app-bridge-react';
import { Badge, Banner, BlockStack, Box, Button, ButtonGroup, Card, DataTable, Divider, FormLayout, InlineGrid, InlineStack, Layout, Link as PolarisLink, Page, RadioButton, Text, TextField } from '@shopify/polaris';
import { useState } from 'react';
import { Form, useActionData, useLoaderData, useNavigation } from 'react-router';
import { PrintButton } from '../components/print-button';
import { addressLines, CoreErrorBanner, StatusBadge } from '../components/ui';
import { attempt, core, errorView } from '../core-api.server';
import { coreHas } from '../core-capabilities.server';
import type { OrderDetail, OrderTimeline } from '../generated/expedio-api';
import { formatDate, type MessageKey, useLocale, useT } from '../i18n';
import { authenticate } from '../shopify.server';
import type { Route } from './+types/app.orders.$id';

type PackingList = {
  id: string;
  status: string;
  courier: string | null;
  service: string | null;
  deliveryAddress: Record<string, unknown> | null;
  parcels: Array<{ weightKg: string | number | null; lengthCm: number | null; widthCm: number | null; heightCm: number | null }>;
  missingForAwb: string[];
};
type Shipment = { id: string; packingListId: string | null; courier: string; service: string; awb: string | null; trackingUrl: string | null; status: string; hasLabel?: boolean };
type Quote = { courier: string; service: string; price: { amount: string; currency: string }; estimatedDays: number | null };
type Quotes = { cheapest: Quote[]; fastest: Quote[]; failures: Array<{ courier: string; code: string; message: string }> };
type Invoice = { id: string; fullNumber: string; kind: string; eInvoice: { state: string; uploadIndex?: string | null; errors?: unknown } | null };

// What the order's state allows (the core's state machine decides; these only choose the buttons).
const CONFIRMABLE = new Set(['new', 'processing', 'on_hold']);
const HOLDABLE = new Set(['new', 'processing', 'confirmed', 'picking', 'picked']);
const CANCELLABLE = new Set(['draft', 'new', 'processing', 'confirmed', 'on_hold', 'picking', 'picked', 'packed', 'ready']);
const LIVE = (s: Shipment) => s.status !== 'creating' && s.status !== 'cancelled';

export async function loader({ request, params }: Route.LoaderArgs) {
  await authenticate.admin(request);
  const id = params.id;
  const order = await attempt(core<OrderDetail>(request, `/orders/${id}`));
  if (!order.ok) return { order: null, error: order.error } as const;
  const [timeline, packing, shipments, notes, hasReturns] = await Promise.all([
    attempt(core<OrderTimeline>(request, `/orders/${id}/timeline`)),
    attempt(core<{ packingLists: PackingList[] }>(request, '/packing-lists', { query: { orderId: id } })),
    attempt(core<{ shipments: Shipment[] }>(request, '/shipments', { query: { orderId: id } })),
    attempt(core<{ deliveryNotes: Array<{ id: string; status: string; blocked: boolean }> }>(request, '/delivery-notes', { query: { orderId: id } })),
    coreHas('/api/v1/returns'),
  ]);
  const shipmentList = shipments.ok ? shipments.value.shipments : [];
  const packingLists = packing.ok ? packing.value.packingLists : [];
  // Quotes for each packing list still waiting for its AWB and measured (the courier is what the merchant picks).
  const quotes: Record<string, Awaited<ReturnType<typeof attempt<Quotes>>>> = {};
  for (const pl of packingLists) {
    const waiting = pl.status === 'ready_to_deliver' && !shipmentList.some((s) => s.packingListId === pl.id && LIVE(s));
    const measured = !pl.missingForAwb.some((f) => f.startsWith('parcels') || f === 'deliveryAddress');
    if (waiting && measured) quotes[pl.id] = await attempt(core<Quotes>(request, `/packing-lists/${pl.id}/quotes`));
  }
  const invoiceEvent = timeline.ok ? timeline.value.events.find((e) => e.document?.type === 'invoice' && e.code === 'invoice') : undefined;
  const invoice = invoiceEvent?.document ? await attempt(core<Invoice>(request, `/invoices/${invoiceEvent.document.id}`)) : null;
  return {
    order: order.value,
    error: null,
    timeline: timeline.ok ? timeline.value : null,
    timelineError: timeline.ok ? null : timeline.error,
    packingLists,
    shipments: shipmentList,
    deliveryNotes: notes.ok ? notes.value.deliveryNotes : [],
    quotes,
    invoice: invoice?.ok ? invoice.value : null,
    hasReturns,
  } as const;
}

export async function action({ request, params }: Route.ActionArgs) {
  await authenticate.admin(request);
  const id = params.id;
  const form = await request.formData();
  const intent = String(form.get('intent'));
  const field = (k: string) => String(form.get(k) ?? '').trim();
  try {
    switch (intent) {
      case 'confirm':
      case 'confirm-partial':
        await core(request, `/orders/${id}/confirm`, { method: 'POST', body: { partial: intent === 'confirm-partial' } });
        return { done: 'action.done.confirm' as MessageKey, vars: {} };
      case 'hold':
        await core(request, `/orders/${id}/hold`, { method: 'POST', body: field('reason') ? { reason: field('reason') } : {} });
        return { done: 'action.done.hold' as MessageKey, vars: {} };
      case 'cancel':
      case 'approve':
      case 'reject':
        await core(request, `/orders/${id}/${intent}`, { method: 'POST', body: {} });
        return { done: `action.done.${intent}` as MessageKey, vars: {} };
      case 'delivery-note':
        await core(request, `/orders/${id}/delivery-notes`, { method: 'POST', body: {} });
        return { done: 'action.done.deliveryNote' as MessageKey, vars: {} };
      case 'invoice': {
        const r = await core<{ number: string }>(request, `/orders/${id}/invoice`, { method: 'POST' });
        return { done: 'action.done.invoice' as MessageKey, vars: { number: r.number } };
      }
      case 'resubmit':
        await core(request, `/invoices/${field('invoiceId')}/e-invoice/resubmit`, { method: 'POST', body: {} });
        return { done: 'action.done.resubmit' as MessageKey, vars: {} };
      case 'awb': {
        const [courier, service] = field('quote').split('|');
        const s = await core<Shipment>(request, `/packing-lists/${field('packingListId')}/awb`, {
          method: 'POST',
          body: { ...(courier ? { courier } : {}), ...(service ? { service } : {}), labelFormat: field('labelFormat') === 'A4' ? 'A4' : 'A6' },
        });
        return { done: 'action.done.awb' as MessageKey, vars: { awb: s.awb ?? '', courier: s.courier } };
      }
      case 'address': {
        const deliveryAddress = Object.fromEntries(['name', 'phone', 'addressLine', 'city', 'county', 'postalCode', 'countryCode'].map((k) => [k, field(k)]).filter(([, v]) => v));
        await core(request, `/packing-lists/${field('packingListId')}`, { method: 'PATCH', body: { deliveryAddress } });
        return { done: 'detail.address.saved' as MessageKey, vars: {} };
      }
      default:
        return { error: { status: 400, code: 'VALIDATION', message: `Unknown action ${intent}.`, details: [{ path: 'intent', reason: 'unknown action' }] } };
    }
  } catch (error) {
    return { error: errorView(error) };
  }
}

function ActionButton({ intent, label, tone, extra }: { intent: string; label: string; tone?: 'critical' | 'success'; extra?: Record<string, string> }) {
  const navigation = useNavigation();
  const busy = navigation.state !== 'idle' && navigation.formData?.get('intent') === intent;
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(extra ?? {}).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <Button submit loading={busy} {...(tone ? { tone } : {})} variant={tone === 'success' ? 'primary' : 'secondary'}>
        {label}
      </Button>
    </Form>
  );
}

export default function OrderPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  if (!data.order) {
    return (
      <Page title={t('orders.title')} backAction={{ content: t('orders.title'), url: '/app' }}>
        <CoreErrorBanner error={data.error} title={t('common.loadErrorTitle')} />
      </Page>
    );
  }
  const { order, timeline, timelineError, packingLists, shipments, deliveryNotes, quotes, invoice, hasReturns } = data;
  const number = order.externalNumber ?? order.externalOrderId;
  const actions = [
    CONFIRMABLE.has(order.status) ? <ActionButton key="confirm" intent="confirm" label={t('action.confirm')} tone="success" /> : null,
    order.status === 'on_hold' ? <ActionButton key="confirm-partial" intent="confirm-partial" label={t('action.confirmPartial')} /> : null,
    order.approvalStatus === 'pending' ? <ActionButton key="approve" intent="approve" label={t('action.approve')} tone="success" /> : null,
    order.approvalStatus === 'pending' ? <ActionButton key="reject" intent="reject" label={t('action.reject')} tone="critical" /> : null,
    order.status === 'confirmed' && deliveryNotes.length === 0 ? <ActionButton key="dn" intent="delivery-note" label={t('action.deliveryNote')} /> : null,
    !invoice && order.status !== 'cancelled' && order.status !== 'draft' ? <ActionButton key="invoice" intent="invoice" label={t('action.invoice')} /> : null,
    HOLDABLE.has(order.status) ? <ActionButton key="hold" intent="hold" label={t('action.hold')} /> : null,
    CANCELLABLE.has(order.status) ? <ActionButton key="cancel" intent="cancel" label={t('action.cancel')} tone="critical" /> : null,
    hasReturns && (order.status === 'delivered' || order.status === 'shipping') ? (
      <Button key="return" url={`/app/returns/new?orderId=${order.id}`}>
        {t('action.return')}
      </Button>
    ) : null,
  ].filter(Boolean);

  return (
    <Page
      title={t('detail.title', { number })}
      titleMetadata={<StatusBadge status={order.status} />}
      subtitle={`${order.total} ${order.currency} · ${order.paymentStatus}`}
      backAction={{ content: t('orders.title'), url: '/app' }}
    >
      <TitleBar title={t('detail.title', { number })} />
      <Layout>
        {result && 'error' in result && result.error ? (
          <Layout.Section>
            <CoreErrorBanner error={result.error} />
          </Layout.Section>
        ) : null}
        {result && 'done' in result && result.done ? (
          <Layout.Section>
            <Banner tone="success" title={t(result.done, result.vars as Record<string, string>)} />
          </Layout.Section>
        ) : null}
        {order.holdReason ? (
          <Layout.Section>
            <Banner tone="warning" title={t('status.on_hold')}>
              <p>{order.holdReason}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t('detail.actions')}
                </Text>
                {actions.length ? (
                  <InlineStack gap="200" wrap>
                    {actions}
                  </InlineStack>
                ) : (
                  <Text as="p" tone="subdued">
                    {t('action.noneAllowed', { status: t(`status.${order.status}` as MessageKey) })}
                  </Text>
                )}
              </BlockStack>
            </Card>
            <Card padding="0">
              <Box padding="400">
                <Text as="h2" variant="headingMd">
                  {t('detail.lines')}
                </Text>
              </Box>
              <DataTable
                columnContentTypes={['text', 'text', 'numeric', 'numeric', 'numeric', 'numeric']}
                headings={[t('detail.col.sku'), t('detail.col.name'), t('detail.col.qty'), t('detail.col.reserved'), t('detail.col.missing'), t('detail.col.total')]}
                rows={order.lines.map((l) => [
                  l.sku ?? '—',
                  l.name,
                  l.quantity,
                  l.quantityReserved,
                  l.unreserved > 0 ? (
                    <Text as="span" tone="critical" fontWeight="semibold" key="m">
                      {l.unreserved}
                    </Text>
                  ) : (
                    0
                  ),
                  `${l.total} ${order.currency}`,
                ])}
              />
            </Card>
            <ShippingCard packingLists={packingLists} shipments={shipments} quotes={quotes} />
            <InvoiceCard invoice={invoice} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <ClientCard order={order} packingLists={packingLists} shipments={shipments} />
            <TimelineCard timeline={timeline} error={timelineError} />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function ClientCard({ order, packingLists, shipments }: { order: OrderDetail; packingLists: PackingList[]; shipments: Shipment[] }) {
  const t = useT();
  const client = (order.client ?? null) as { email?: string | null; phone?: string | null; company?: string | null; vatNumber?: string | null } | null;
  const editable = packingLists.find((pl) => pl.status === 'ready_to_deliver' && !shipments.some((s) => s.packingListId === pl.id && LIVE(s)));
  // Once an AWB exists, the address shown is the one its packing list gave the courier.
  const shipped = packingLists.find((pl) => pl.deliveryAddress && shipments.some((s) => s.packingListId === pl.id && LIVE(s)));
  const address = (editable?.deliveryAddress ?? shipped?.deliveryAddress ?? order.shippingAddress ?? null) as Record<string, unknown> | null;
  const [editing, setEditing] = useState(false);
  const a = (k: string) => (typeof address?.[k] === 'string' ? (address[k] as string) : '');
  const [fields, setFields] = useState({ name: a('name') || [a('firstName'), a('lastName')].filter(Boolean).join(' '), phone: a('phone'), addressLine: a('addressLine') || a('address1'), city: a('city'), county: a('county') || a('province'), postalCode: a('postalCode') || a('zip') || a('postcode'), countryCode: a('countryCode') || a('country_code') || 'RO' });
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t('detail.client')}
        </Text>
        <BlockStack gap="050">
          <Text as="p" fontWeight="semibold">
            {order.clientName ?? client?.company ?? t('orders.noClient')}
          </Text>
          {[client?.email ?? order.email, client?.phone, client?.vatNumber].filter(Boolean).map((l) => (
            <Text as="p" key={String(l)} tone="subdued">
              {String(l)}
            </Text>
          ))}
        </BlockStack>
        <Divider />
        <Text as="h3" variant="headingSm">
          {t('detail.shippingAddress')}
        </Text>
        <BlockStack gap="050">
          {addressLines(address).map((l) => (
            <Text as="p" key={l}>
              {l}
            </Text>
          ))}
        </BlockStack>
        {editable ? (
          editing ? (
            <Form method="post" onSubmit={() => setEditing(false)}>
              <input type="hidden" name="intent" value="address" />
              <input type="hidden" name="packingListId" value={editable.id} />
              <FormLayout>
                {(['name', 'phone', 'addressLine', 'city', 'county', 'postalCode'] as const).map((k) => (
                  <TextField key={k} label={t(`detail.address.${k}` as MessageKey)} name={k} value={fields[k]} onChange={(v) => setFields({ ...fields, [k]: v })} autoComplete="off" />
                ))}
                <input type="hidden" name="countryCode" value={fields.countryCode} />
                <Button submit variant="primary">
                  {t('common.save')}
                </Button>
              </FormLayout>
            </Form>
          ) : (
            <Button onClick={() => setEditing(true)}>{t('detail.editAddress')}</Button>
          )
        ) : (
          <Text as="p" variant="bodySm" tone="subdued">
            {shipments.some(LIVE) ? t('detail.addressLocked') : t('detail.addressNeedsPacking')}
          </Text>
        )}
        {order.billingAddress ? (
          <>
            <Divider />
            <Text as="h3" variant="headingSm">
              {t('detail.billingAddress')}
            </Text>
            <BlockStack gap="050">
              {addressLines(order.billingAddress as Record<string, unknown>).map((l) => (
                <Text as="p" key={l} tone="subdued">
                  {l}
                </Text>
              ))}
            </BlockStack>
          </>
        ) : null}
      </BlockStack>
    </Card>
  );
}

function ShippingCard({ packingLists, shipments, quotes }: { packingLists: PackingList[]; shipments: Shipment[]; quotes: Record<string, { ok: true; value: Quotes } | { ok: false; error: { message: string; status: number; code: string; details: Array<{ path: string; reason: string }> } }> }) {
  const t = useT();
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {t('shipping.packingLists')}
        </Text>
        {packingLists.length === 0 ? (
          <Text as="p" tone="subdued">
            {t('shipping.noPackingList')}
          </Text>
        ) : null}
        {packingLists.map((pl) => {
          const live = shipments.filter((s) => s.packingListId === pl.id && LIVE(s));
          const q = quotes[pl.id];
          return (
            <BlockStack gap="300" key={pl.id}>
              <InlineStack gap="200" blockAlign="center">
                <Text as="h3" variant="headingSm">
                  {t('shipping.packingList', { id: pl.id })}
                </Text>
                <Badge>{pl.status.replaceAll('_', ' ')}</Badge>
                <Text as="span" tone="subdued">
                  {t('shipping.parcels', { count: pl.parcels.length })}
                </Text>
                <PrintButton href={`/app/documents/packing-slip/${pl.id}`} label={t('shipping.slip')} />
              </InlineStack>
              {pl.parcels.length ? (
                <Text as="p" variant="bodySm" tone="subdued">
                  {pl.parcels.map((p) => t('shipping.parcel', { weight: String(p.weightKg ?? '?'), l: p.lengthCm ?? '?', w: p.widthCm ?? '?', h: p.heightCm ?? '?' })).join(' · ')}
                </Text>
              ) : null}
              {live.map((s) => (
                <InlineStack gap="300" blockAlign="center" key={s.id}>
                  <Text as="span" fontWeight="semibold">
                    {t('shipping.awb', { awb: s.awb ?? '…' })}
                  </Text>
                  <Badge tone="success">{s.courier}</Badge>
                  {s.trackingUrl ? (
                    <PolarisLink url={s.trackingUrl} target="_blank">
                      {t('shipping.track')}
                    </PolarisLink>
                  ) : null}
                  <ButtonGroup>
                    <PrintButton href={`/app/documents/label/${s.id}?format=A4`} label={t('shipping.printA4')} variant="primary" />
                    <PrintButton href={`/app/documents/label/${s.id}?format=A6`} label={t('shipping.printA6')} />
                  </ButtonGroup>
                </InlineStack>
              ))}
              {live.length === 0 && pl.missingForAwb.some((f) => f.startsWith('parcels') || f === 'deliveryAddress') ? (
                <Banner tone="warning">
                  <p>{t('shipping.missing', { fields: pl.missingForAwb.join(', ') })}</p>
                </Banner>
              ) : null}
              {q ? <QuotePicker packingListId={pl.id} quotes={q} /> : null}
            </BlockStack>
          );
        })}
      </BlockStack>
    </Card>
  );
}

function QuotePicker({ packingListId, quotes }: { packingListId: string; quotes: { ok: true; value: Quotes } | { ok: false; error: { message: string; status: number; code: string; details: Array<{ path: string; reason: string }> } } }) {
  const t = useT();
  const navigation = useNavigation();
  const list = quotes.ok ? quotes.value.cheapest : [];
  const fastest = quotes.ok ? quotes.value.fastest[0] : undefined;
  const key = (q: Quote) => `${q.courier}|${q.service}`;
  const [chosen, setChosen] = useState(list[0] ? key(list[0]) : '');
  const [format, setFormat] = useState('A6');
  if (!quotes.ok) return <CoreErrorBanner error={quotes.error} />;
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="awb" />
      <input type="hidden" name="packingListId" value={packingListId} />
      <input type="hidden" name="quote" value={chosen} />
      <input type="hidden" name="labelFormat" value={format} />
      <BlockStack gap="200">
        <Text as="h4" variant="headingSm">
          {t('shipping.quotes')}
        </Text>
        {list.length === 0 ? <Text as="p">{t('shipping.noQuotes')}</Text> : null}
        {list.map((q, i) => (
          <RadioButton
            key={key(q)}
            id={`quote-${packingListId}-${key(q)}`}
            name={`quote-${packingListId}`}
            checked={chosen === key(q)}
            onChange={() => setChosen(key(q))}
            label={`${q.courier} · ${q.service} — ${q.price.amount} ${q.price.currency}${q.estimatedDays !== null ? ` · ${t('shipping.quote.days', { days: q.estimatedDays })}` : ''}`}
            helpText={[i === 0 ? t('shipping.quote.cheapest') : null, fastest && key(fastest) === key(q) ? t('shipping.quote.fastest') : null].filter(Boolean).join(' · ') || undefined}
          />
        ))}
        {quotes.value.failures.map((f) => (
          <Text as="p" key={f.courier} tone="caution" variant="bodySm">
            {t('shipping.quote.failed', { courier: f.courier, message: f.message })}
          </Text>
        ))}
        <InlineGrid columns={2} gap="200">
          <RadioButton id={`fmt-${packingListId}-A6`} name={`fmt-${packingListId}`} label="A6 (100×150)" checked={format === 'A6'} onChange={() => setFormat('A6')} />
          <RadioButton id={`fmt-${packingListId}-A4`} name={`fmt-${packingListId}`} label="A4" checked={format === 'A4'} onChange={() => setFormat('A4')} />
        </InlineGrid>
        <InlineStack>
          <Button submit variant="primary" disabled={!chosen} loading={navigation.state !== 'idle' && navigation.formData?.get('intent') === 'awb'}>
            {t('shipping.createAwb')}
          </Button>
        </InlineStack>
      </BlockStack>
    </Form>
  );
}

function InvoiceCard({ invoice }: { invoice: Invoice | null }) {
  const t = useT();
  const state = invoice?.eInvoice?.state;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t('invoice.title')}
        </Text>
        {invoice ? (
          <InlineStack gap="300" blockAlign="center">
            <Text as="span" fontWeight="semibold">
              {t('invoice.number', { number: invoice.fullNumber })}
            </Text>
            <PrintButton href={`/app/documents/invoice/${invoice.id}`} label={t('invoice.pdf')} />
            <Badge tone={state === 'ok' ? 'success' : state === 'nok' ? 'critical' : state ? 'info' : undefined}>
              {state ? t('invoice.eInvoice', { state: t(`einvoice.${state}` as MessageKey) }) : t('invoice.eInvoiceNone')}
            </Badge>
            {invoice.eInvoice?.uploadIndex ? <Text as="span" tone="subdued">{t('invoice.eInvoiceIndex', { index: invoice.eInvoice.uploadIndex })}</Text> : null}
            {state === 'nok' ? <ActionButton intent="resubmit" label={t('action.resubmit')} extra={{ invoiceId: invoice.id }} /> : null}
          </InlineStack>
        ) : (
          <Text as="p" tone="subdued">
            {t('invoice.none')}
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}

function TimelineCard({ timeline, error }: { timeline: OrderTimeline | null; error: { message: string; status: number; code: string; details: Array<{ path: string; reason: string }> } | null }) {
  const t = useT();
  const locale = useLocale();
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t('timeline.title')}
        </Text>
        {error ? <CoreErrorBanner error={error} /> : null}
        {timeline && timeline.events.length === 0 ? <Text as="p">{t('timeline.empty')}</Text> : null}
        <BlockStack gap="200" as="ol">
          {(timeline?.events ?? []).map((e) => (
            <Box as="li" key={`${e.at}-${e.kind}-${e.code}-${e.summary}`} borderInlineStartWidth="025" borderColor="border" paddingInlineStart="300">
              <BlockStack gap="050">
                <InlineStack gap="200" blockAlign="center">
                  <Badge tone={e.outcome === 'error' || e.outcome === 'rejected' || e.outcome === 'nok' ? 'critical' : undefined}>{t(`timeline.kind.${e.kind}` as MessageKey)}</Badge>
                  <Text as="span" variant="bodySm" tone="subdued">
                    {formatDate(locale, e.at)}
                  </Text>
                </InlineStack>
                <Text as="p" variant="bodySm">
                  {e.kind === 'status' ? t(`status.${e.code}` as MessageKey) : e.summary}
                </Text>
              </BlockStack>
            </Box>
          ))}
        </BlockStack>
        {timeline?.truncated ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {t('timeline.truncated')}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}
