import { TitleBar } from '@shopify/app-bridge-react';
import { Badge, type BadgeProps, Banner, BlockStack, Box, Button, Card, IndexTable, InlineStack, Layout, Link as PolarisLink, Page, Select, Tabs, Text, TextField, useIndexResourceState } from '@shopify/polaris';
import { useState } from 'react';
import { Form, Link, redirect, useActionData, useLoaderData, useLocation, useNavigate, useNavigation, useSubmit } from 'react-router';
import { CoreErrorBanner, EmptyBlock, StatusBadge } from '../components/ui';
import { attempt, core, errorView } from '../core-api.server';
import { coreHas } from '../core-capabilities.server';
import { ExpedioCoreError, listOrders, type OrderSummary, sessionTokenFromRequest } from '../expedio-core.server';
import type { ReturnSummary, ShipBatch } from '../generated/expedio-api';
import { formatDate, type MessageKey, useLocale, useT } from '../i18n';
import { authenticate } from '../shopify.server';
import type { Route } from './+types/app._index';

/** The list's tabs: each one or several Expedio statuses; "stalled" lists the stalls of orders instead. */
export const TABS = [
  { id: 'all', statuses: [] },
  { id: 'on_hold', statuses: ['on_hold'] },
  { id: 'to_pick', statuses: ['confirmed'] },
  { id: 'to_pack', statuses: ['picking', 'picked'] },
  { id: 'to_ship', statuses: ['packed', 'ready'] },
  { id: 'in_transit', statuses: ['shipping'] },
  { id: 'delivered', statuses: ['delivered'] },
  { id: 'returns', statuses: [] },
  { id: 'stalled', statuses: [] },
] as const;
type TabId = (typeof TABS)[number]['id'];

type ReturnRow = ReturnSummary;
type Stall = { kind: string; subjectType: string; subjectId: string; message: string; why: string; fix: string; since: string | null };

export async function loader({ request }: Route.LoaderArgs) {
  await authenticate.admin(request);
  const url = new URL(request.url);
  const cursor = url.searchParams.get('cursor');
  const q = url.searchParams.get('q')?.trim() || null;
  const tabId = (TABS.find((t) => t.id === url.searchParams.get('tab'))?.id ?? 'all') as TabId;
  const tab = TABS.find((t) => t.id === tabId)!;
  const hasReturns = await coreHas('/api/v1/returns');
  // The stalls of this store's orders: the stall column and the "stalled" tab. A core that cannot
  // list them still shows the orders, with a warning.
  const stalls = await attempt(core<{ stalls: Stall[] }>(request, '/stalls'));
  const orderStalls = stalls.ok ? stalls.value.stalls.filter((s) => s.subjectType === 'order') : [];
  // The "returns" tab lists the store's returns (started, on their way, received, settled), newest first.
  const returns = tabId === 'returns' && hasReturns ? await attempt(core<{ returns: ReturnRow[] }>(request, '/returns', { query: { limit: 100 } })) : null;
  const base = {
    cursor,
    q,
    tab: tabId,
    hasReturns,
    stalls: orderStalls,
    stallsError: stalls.ok ? null : stalls.error.message,
    returns: returns?.ok ? returns.value.returns : [],
    returnsError: returns && !returns.ok ? returns.error : null,
  };
  try {
    const page = await listOrders(sessionTokenFromRequest(request), {
      cursor,
      limit: 50,
      ...(tab.statuses.length === 1 ? { status: tab.statuses[0] } : {}),
      ...(tab.statuses.length > 1 ? { statuses: tab.statuses.join(',') } : {}),
      ...(q ? { q } : {}),
    });
    return { ...base, ...page, error: null };
  } catch (error) {
    // The core being down or refusing the token is something the merchant should read on the
    // page (and retry), not an error boundary that hides the whole app.
    if (!(error instanceof ExpedioCoreError)) throw error;
    console.error(`Expedio core: ${error.status} ${error.code} ${error.message}`);
    return { ...base, orders: [] as OrderSummary[], nextCursor: null, error: { status: error.status, code: error.code, message: error.message } };
  }
}

/** Bulk: the selected orders become a bulk AWB run in the core; the merchant watches it on its page. */
export async function action({ request }: Route.ActionArgs) {
  await authenticate.admin(request);
  const form = await request.formData();
  const orderIds = String(form.get('orderIds') ?? '')
    .split(',')
    .filter(Boolean);
  const labelFormat = form.get('labelFormat') === 'A4' ? 'A4' : 'A6';
  try {
    const batch = await core<ShipBatch>(request, '/ship-batches', { method: 'POST', body: { orderIds, labelFormat } });
    return redirect(`/app/shipping/${batch.id}`);
  } catch (error) {
    return { error: errorView(error) };
  }
}

type Tone = BadgeProps['tone'];
const PAYMENT_TONE: Record<string, Tone> = {
  paid: 'success',
  pending: 'attention',
  authorized: 'attention',
  partially_paid: 'warning',
  refunded: undefined,
  partially_refunded: undefined,
  voided: 'critical',
};

function humanize(value: string): string {
  const words = value.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export default function OrdersPage() {
  const { orders, nextCursor, cursor, error, q, tab, hasReturns, stalls, stallsError, returns, returnsError } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const navigate = useNavigate();
  const location = useLocation();
  const navigation = useNavigation();
  const submit = useSubmit();
  const [search, setSearch] = useState(q ?? '');
  const [labelFormat, setLabelFormat] = useState<'A6' | 'A4'>('A6');
  const { selectedResources, allResourcesSelected, handleSelectionChange } = useIndexResourceState(orders as Array<{ id: string }>);

  const tabs = TABS.filter((x) => x.id !== 'returns' || hasReturns);
  const selectedTab = Math.max(
    0,
    tabs.findIndex((x) => x.id === tab),
  );
  const go = (params: Record<string, string | null>) => {
    const next = new URLSearchParams();
    for (const [k, v] of Object.entries({ tab, q, ...params })) if (v && !(k === 'tab' && v === 'all')) next.set(k, v);
    navigate(`?${next.toString()}`);
  };
  const stallOf = new Map(stalls.map((s) => [s.subjectId, s]));

  const rows = orders.map((order, index) => {
    const stall = stallOf.get(order.id);
    return (
      <IndexTable.Row id={order.id} key={order.id} position={index} selected={selectedResources.includes(order.id)}>
        <IndexTable.Cell>
          <Link to={`/app/orders/${order.id}`} data-primary-link>
            <Text as="span" variant="bodyMd" fontWeight="semibold">
              {order.externalNumber ?? order.externalOrderId}
            </Text>
          </Link>
        </IndexTable.Cell>
        <IndexTable.Cell>
          <time dateTime={order.createdAt}>{formatDate(locale, order.createdAt)}</time>
        </IndexTable.Cell>
        <IndexTable.Cell>{order.clientName ?? <Text as="span" tone="subdued">{t('orders.noClient')}</Text>}</IndexTable.Cell>
        <IndexTable.Cell>
          <BlockStack gap="100" inlineAlign="start">
            <StatusBadge status={order.status} />
            {order.approvalStatus === 'pending' ? <Badge tone="attention">{t('orders.approvalPending')}</Badge> : null}
            {order.holdReason ? (
              <div style={{ whiteSpace: 'normal', maxWidth: '14rem' }}>
                <Text as="span" variant="bodySm" tone="subdued">
                  {order.holdReason}
                </Text>
              </div>
            ) : null}
          </BlockStack>
        </IndexTable.Cell>
        <IndexTable.Cell>
          {stall ? (
            <div style={{ whiteSpace: 'normal', maxWidth: '14rem' }}>
              <Text as="span" variant="bodySm" tone="critical">
                {stall.message}
              </Text>
            </div>
          ) : (
            <Text as="span" tone="subdued">
              {t('common.none')}
            </Text>
          )}
        </IndexTable.Cell>
        <IndexTable.Cell>
          <BlockStack gap="050">
            {order.awbs.length === 0 ? (
              <Text as="span" tone="subdued">
                {t('common.none')}
              </Text>
            ) : (
              order.awbs.map((a) =>
                a.trackingUrl ? (
                  <PolarisLink key={a.shipmentId} url={a.trackingUrl} target="_blank" removeUnderline>
                    {a.awb ?? a.courier}
                  </PolarisLink>
                ) : (
                  <Text as="span" key={a.shipmentId}>
                    {a.awb ?? a.courier}
                  </Text>
                ),
              )
            )}
          </BlockStack>
        </IndexTable.Cell>
        <IndexTable.Cell>
          <Badge tone={PAYMENT_TONE[order.paymentStatus]}>{humanize(order.paymentStatus)}</Badge>
        </IndexTable.Cell>
        <IndexTable.Cell>
          {/* The core sends money as a decimal string; it is shown as is, never rounded through a float. */}
          <Text as="span" alignment="end" numeric>
            {order.total} {order.currency}
          </Text>
        </IndexTable.Cell>
      </IndexTable.Row>
    );
  });

  const shipSelected = () => {
    const ids = allResourcesSelected ? orders.map((o) => o.id) : selectedResources;
    submit({ orderIds: ids.join(','), labelFormat }, { method: 'post' });
  };

  return (
    <Page title={t('orders.title')} subtitle={t('orders.subtitle')}>
      <TitleBar title={t('orders.title')} />
      <Layout>
        {error ? (
          <Layout.Section>
            <Banner tone="critical" title={t('orders.loadError')}>
              <p>{error.message}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {actionData?.error ? (
          <Layout.Section>
            <CoreErrorBanner error={actionData.error} />
          </Layout.Section>
        ) : null}
        {stallsError ? (
          <Layout.Section>
            <Banner tone="warning">
              <p>{t('orders.stallsUnavailable', { message: stallsError })}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {error ? null : (
          <Layout.Section>
            <Card padding="0">
              <Tabs tabs={tabs.map((x) => ({ id: x.id, content: t(`orders.tab.${x.id}` as MessageKey) }))} selected={selectedTab} onSelect={(i) => go({ tab: tabs[i]!.id, cursor: null })} />
              <Box padding="300">
                <Form
                  method="get"
                  onSubmit={(e) => {
                    e.preventDefault();
                    go({ q: search.trim() || null, cursor: null });
                  }}
                >
                  <InlineStack gap="200" blockAlign="end" wrap={false}>
                    <div style={{ flex: 1 }}>
                      <TextField label={t('orders.search')} labelHidden placeholder={`${t('orders.search')} (${t('orders.searchHint')})`} value={search} onChange={setSearch} autoComplete="off" name="q" clearButton onClearButtonClick={() => { setSearch(''); go({ q: null, cursor: null }); }} />
                    </div>
                    <Button submit>{t('orders.filter')}</Button>
                    <Select
                      label="Label"
                      labelHidden
                      options={[
                        { label: 'A6 (thermal)', value: 'A6' },
                        { label: 'A4', value: 'A4' },
                      ]}
                      value={labelFormat}
                      onChange={(v) => setLabelFormat(v === 'A4' ? 'A4' : 'A6')}
                    />
                  </InlineStack>
                </Form>
              </Box>
              {tab === 'stalled' ? (
                <StalledOrders stalls={stalls} />
              ) : tab === 'returns' ? (
                returnsError ? (
                  <Box padding="300">
                    <CoreErrorBanner error={returnsError} />
                  </Box>
                ) : (
                  <ReturnsList returns={returns} />
                )
              ) : (
                <IndexTable
                  resourceName={{ singular: 'order', plural: 'orders' }}
                  itemCount={orders.length}
                  selectedItemsCount={allResourcesSelected ? 'All' : selectedResources.length}
                  onSelectionChange={handleSelectionChange}
                  promotedBulkActions={[{ content: t('orders.bulkShip'), onAction: shipSelected }]}
                  loading={navigation.state === 'loading'}
                  headings={[
                    { title: t('orders.col.order') },
                    { title: t('orders.col.date') },
                    { title: t('orders.col.client') },
                    { title: t('orders.col.status') },
                    { title: t('orders.col.stall') },
                    { title: t('orders.col.awb') },
                    { title: t('orders.col.payment') },
                    { title: t('orders.col.total'), alignment: 'end' },
                  ]}
                  emptyState={tab === 'all' && !q ? <EmptyBlock title={t('orders.empty.title')} body={t('orders.empty.body')} /> : <EmptyBlock title={t('orders.emptyTab.title')} body={t('orders.emptyTab.body')} />}
                  pagination={
                    nextCursor || cursor
                      ? {
                          hasNext: Boolean(nextCursor),
                          onNext: () => nextCursor && go({ cursor: nextCursor }),
                          hasPrevious: Boolean(cursor),
                          // Cursors only go forward; back is the browser history, or the first page
                          // when the merchant landed on a later page directly.
                          onPrevious: () => (location.key === 'default' ? go({ cursor: null }) : navigate(-1)),
                        }
                      : undefined
                  }
                >
                  {rows}
                </IndexTable>
              )}
            </Card>
          </Layout.Section>
        )}
      </Layout>
    </Page>
  );
}

function StalledOrders({ stalls }: { stalls: Stall[] }) {
  const t = useT();
  if (stalls.length === 0) return <EmptyBlock title={t('stalls.empty.title')} body={t('stalls.empty.body')} />;
  return (
    <IndexTable
      resourceName={{ singular: 'stall', plural: 'stalls' }}
      itemCount={stalls.length}
      selectable={false}
      headings={[{ title: t('orders.col.order') }, { title: t('orders.col.stall') }, { title: t('stalls.fix') }]}
    >
      {stalls.map((s, i) => (
        <IndexTable.Row id={`${s.kind}:${s.subjectId}`} key={`${s.kind}:${s.subjectId}`} position={i}>
          <IndexTable.Cell>
            <Link to={`/app/orders/${s.subjectId}`}>{s.subjectId}</Link>
          </IndexTable.Cell>
          <IndexTable.Cell>
            <BlockStack gap="050">
              <Text as="span" fontWeight="semibold">
                {s.message}
              </Text>
              <Text as="span" variant="bodySm" tone="subdued">
                {s.why}
              </Text>
            </BlockStack>
          </IndexTable.Cell>
          <IndexTable.Cell>{s.fix}</IndexTable.Cell>
        </IndexTable.Row>
      ))}
    </IndexTable>
  );
}

function ReturnsList({ returns }: { returns: ReturnRow[] }) {
  const t = useT();
  const locale = useLocale();
  if (returns.length === 0) return <EmptyBlock title={t('returns.empty.title')} body={t('returns.empty.body')} />;
  return (
    <IndexTable
      resourceName={{ singular: 'return', plural: 'returns' }}
      itemCount={returns.length}
      selectable={false}
      headings={[{ title: t('returns.col.return') }, { title: t('orders.col.order') }, { title: t('orders.col.date') }, { title: t('returns.col.kind') }, { title: t('orders.col.status') }, { title: t('returns.col.units'), alignment: 'end' }]}
    >
      {returns.map((r, i) => (
        <IndexTable.Row id={r.id} key={r.id} position={i}>
          <IndexTable.Cell>{t('returns.return', { id: r.id })}</IndexTable.Cell>
          <IndexTable.Cell>
            <Link to={`/app/orders/${r.orderId}`}>{r.orderNumber ?? t('batch.order', { id: r.orderId })}</Link>
          </IndexTable.Cell>
          <IndexTable.Cell>{formatDate(locale, r.createdAt)}</IndexTable.Cell>
          <IndexTable.Cell>{t(`return.type.${r.type}` as MessageKey)}</IndexTable.Cell>
          <IndexTable.Cell>
            <Badge tone={r.status === 'settled' ? 'success' : r.status === 'cancelled' ? undefined : 'attention'}>{t(`returns.status.${r.status}` as MessageKey)}</Badge>
          </IndexTable.Cell>
          <IndexTable.Cell>
            <Text as="span" alignment="end" numeric>
              {r.units}
            </Text>
          </IndexTable.Cell>
        </IndexTable.Row>
      ))}
    </IndexTable>
  );
}
