import { TitleBar } from '@shopify/app-bridge-react';
import { Badge, type BadgeProps, Banner, BlockStack, Box, Card, IndexTable, Layout, Page, Text } from '@shopify/polaris';
import { useLoaderData, useLocation, useNavigate, useNavigation } from 'react-router';
import { ExpedioCoreError, listOrders, type OrderSummary, sessionTokenFromRequest } from '../expedio-core.server';
import { ORDER_STATUSES, type OrderStatus } from '../generated/expedio-api';
import { authenticate } from '../shopify.server';
import type { Route } from './+types/app._index';

export async function loader({ request }: Route.LoaderArgs) {
  await authenticate.admin(request);
  const cursor = new URL(request.url).searchParams.get('cursor');
  try {
    const page = await listOrders(sessionTokenFromRequest(request), { cursor, limit: 50 });
    return { ...page, cursor, error: null };
  } catch (error) {
    // The core being down or refusing the token is something the merchant should read on the
    // page (and retry), not an error boundary that hides the whole app.
    if (!(error instanceof ExpedioCoreError)) throw error;
    console.error(`Expedio core: ${error.status} ${error.code} ${error.message}`);
    return {
      orders: [] as OrderSummary[],
      nextCursor: null,
      cursor,
      error: { status: error.status, code: error.code, message: error.message },
    };
  }
}

type Tone = BadgeProps['tone'];

// One tone per Expedio status (design.md, "Order status"): blue while it moves through the
// warehouse, green once it is with the courier or done, yellow/red when someone must act. Keyed by
// the core's statuses, so a new one fails the typecheck until it has a tone.
const STATUS_TONE: Record<OrderStatus, Tone> = {
  draft: undefined,
  new: 'info',
  processing: 'info',
  confirmed: 'info',
  picking: 'attention',
  picked: 'attention',
  packed: 'attention',
  ready: 'attention',
  shipping: 'success',
  delivered: 'success',
  on_hold: 'warning',
  partially_returned: 'warning',
  returned: undefined,
  cancelled: 'critical',
};

const PAYMENT_TONE: Record<string, Tone> = {
  paid: 'success',
  pending: 'attention',
  authorized: 'attention',
  partially_paid: 'warning',
  refunded: undefined,
  partially_refunded: undefined,
  voided: 'critical',
};

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  // Fixed so the server render and the browser's hydration print the same text.
  timeZone: 'UTC',
  timeZoneName: 'short',
});

const isOrderStatus = (status: string): status is OrderStatus => (ORDER_STATUSES as readonly string[]).includes(status);

/** Unknown statuses (a core newer than this app) get the neutral badge. */
function statusTone(status: string): Tone {
  return isOrderStatus(status) ? STATUS_TONE[status] : undefined;
}

function humanize(value: string): string {
  const words = value.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export default function OrdersPage() {
  const { orders, nextCursor, cursor, error } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const location = useLocation();
  const navigation = useNavigation();

  const rows = orders.map((order, index) => (
    <IndexTable.Row id={order.id} key={order.id} position={index}>
      <IndexTable.Cell>
        <Text as="span" variant="bodyMd" fontWeight="semibold">
          {order.externalNumber ?? order.externalOrderId}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <time dateTime={order.createdAt}>{dateFormat.format(new Date(order.createdAt))}</time>
      </IndexTable.Cell>
      <IndexTable.Cell>{order.clientName ?? <Text as="span" tone="subdued">No client</Text>}</IndexTable.Cell>
      <IndexTable.Cell>
        <BlockStack gap="100" inlineAlign="start">
          <Badge tone={statusTone(order.status)}>{humanize(order.status)}</Badge>
          {order.approvalStatus === 'pending' ? <Badge tone="attention">Approval pending</Badge> : null}
          {order.holdReason ? (
            <Text as="span" variant="bodySm" tone="subdued">
              {order.holdReason}
            </Text>
          ) : null}
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
  ));

  return (
    <Page title="Orders" subtitle="Orders from this store, as Expedio is fulfilling them">
      <TitleBar title="Orders" />
      <Layout>
        {error ? (
          <Layout.Section>
            <Banner tone="critical" title="Expedio could not load your orders">
              <p>{error.message}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        {error ? null : (
          <Layout.Section>
            <Card padding="0">
              <IndexTable
                resourceName={{ singular: 'order', plural: 'orders' }}
                itemCount={orders.length}
                selectable={false}
                loading={navigation.state === 'loading'}
                headings={[
                  { title: 'Order' },
                  { title: 'Date' },
                  { title: 'Client' },
                  { title: 'Status' },
                  { title: 'Payment' },
                  { title: 'Total', alignment: 'end' },
                ]}
                emptyState={
                  <Box padding="800">
                    <BlockStack gap="200" inlineAlign="center">
                      <Text as="h2" variant="headingMd">
                        No orders yet
                      </Text>
                      <Text as="p" tone="subdued">
                        Orders placed in your store appear here as soon as Expedio receives them.
                      </Text>
                    </BlockStack>
                  </Box>
                }
                pagination={
                  nextCursor || cursor
                    ? {
                        hasNext: Boolean(nextCursor),
                        onNext: () => nextCursor && navigate(`?cursor=${encodeURIComponent(nextCursor)}`),
                        hasPrevious: Boolean(cursor),
                        // Cursors only go forward; back is the browser history, or the first page
                        // when the merchant landed on a later page directly.
                        onPrevious: () => (location.key === 'default' ? navigate('.') : navigate(-1)),
                      }
                    : undefined
                }
              >
                {rows}
              </IndexTable>
            </Card>
          </Layout.Section>
        )}
      </Layout>
    </Page>
  );
}
