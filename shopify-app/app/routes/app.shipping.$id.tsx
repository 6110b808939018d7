import { TitleBar } from '@shopify/app-bridge-react';
import { Badge, Banner, BlockStack, Button, Card, IndexTable, InlineStack, Layout, Page, ProgressBar, Text } from '@shopify/polaris';
import { useEffect } from 'react';
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from 'react-router';
import { PrintButton } from '../components/print-button';
import { CoreErrorBanner } from '../components/ui';
import { attempt, core, errorView } from '../core-api.server';
import type { ShipBatch } from '../generated/expedio-api';
import { type MessageKey, useT } from '../i18n';
import { authenticate } from '../shopify.server';
import type { Route } from './+types/app.shipping.$id';

type LabelBatch = { id: string; status: 'pending' | 'running' | 'done' | 'failed'; total: number; done: number; error: string | null };

export async function loader({ request, params }: Route.LoaderArgs) {
  await authenticate.admin(request);
  const batch = await attempt(core<ShipBatch>(request, `/ship-batches/${params.id}`));
  const labelBatchId = new URL(request.url).searchParams.get('labels');
  const labels = labelBatchId && /^\d+$/.test(labelBatchId) ? await attempt(core<LabelBatch>(request, `/label-batches/${labelBatchId}`)) : null;
  return { batch: batch.ok ? batch.value : null, error: batch.ok ? null : batch.error, labels: labels?.ok ? labels.value : null };
}

export async function action({ request, params }: Route.ActionArgs) {
  await authenticate.admin(request);
  const form = await request.formData();
  try {
    if (form.get('intent') === 'retry') {
      await core(request, `/ship-batches/${params.id}/retry`, { method: 'POST' });
      return { error: null, labels: null };
    }
    const batch = await core<ShipBatch>(request, `/ship-batches/${params.id}`);
    const shipmentIds = batch.orders.flatMap((o) => o.shipmentIds);
    const labels = await core<LabelBatch>(request, '/label-batches', { method: 'POST', body: { shipmentIds, format: batch.labelFormat } });
    return { error: null, labels: labels.id };
  } catch (error) {
    return { error: errorView(error), labels: null };
  }
}

export default function ShipBatchPage() {
  const { batch, error, labels } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const revalidator = useRevalidator();
  const navigation = useNavigation();
  const running = batch?.status === 'running' || (labels !== null && (labels.status === 'pending' || labels.status === 'running'));
  // The run goes on in the core's worker; the page asks for its progress every second until it ends.
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      if (revalidator.state === 'idle') revalidator.revalidate();
    }, 1000);
    return () => clearInterval(timer);
  }, [running, revalidator]);
  // A new label batch: its id goes into the URL so the page follows its progress too.
  useEffect(() => {
    if (result?.labels) window.history.replaceState(null, '', `?labels=${result.labels}`);
    if (result?.labels) revalidator.revalidate();
  }, [result?.labels, revalidator]);

  if (!batch) {
    return (
      <Page title={t('batch.title')} backAction={{ content: t('orders.title'), url: '/app' }}>
        {error ? <CoreErrorBanner error={error} title={t('common.loadErrorTitle')} /> : null}
      </Page>
    );
  }
  const finished = batch.done + batch.failed;
  const failed = batch.orders.filter((o) => o.status === 'failed');
  const shipmentCount = batch.orders.reduce((n, o) => n + o.shipmentIds.length, 0);
  return (
    <Page title={t('batch.title')} subtitle={`#${batch.id} · ${batch.labelFormat}`} backAction={{ content: t('orders.title'), url: '/app?tab=to_ship' }}>
      <TitleBar title={t('batch.title')} />
      <Layout>
        {result?.error ? (
          <Layout.Section>
            <CoreErrorBanner error={result.error} />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <InlineStack align="space-between">
                <Text as="h2" variant="headingMd">
                  {batch.status === 'running' ? t('batch.running') : batch.status === 'done' ? t('batch.done') : t('common.done')}
                </Text>
                <Text as="span" tone="subdued">
                  {t('batch.progress', { done: batch.done, total: batch.total, failed: batch.failed })}
                </Text>
              </InlineStack>
              <ProgressBar progress={Math.round((finished / Math.max(1, batch.total)) * 100)} tone={batch.failed > 0 ? 'critical' : 'primary'} animated={batch.status === 'running'} />
              {batch.status === 'done_with_failures' ? (
                <Banner tone="warning">
                  <p>{t('batch.doneWithFailures', { failed: batch.failed })}</p>
                </Banner>
              ) : null}
              <InlineStack gap="200">
                {batch.failed > 0 && batch.status !== 'running' ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="retry" />
                    <Button submit loading={navigation.formData?.get('intent') === 'retry'}>
                      {t('batch.retry')}
                    </Button>
                  </Form>
                ) : null}
                {batch.status !== 'running' && shipmentCount > 0 && !labels ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="labels" />
                    <Button submit variant="primary" loading={navigation.formData?.get('intent') === 'labels'}>
                      {t('batch.labels', { count: shipmentCount })}
                    </Button>
                  </Form>
                ) : null}
              </InlineStack>
              {labels ? (
                <BlockStack gap="200">
                  <Text as="p">{t('batch.labelsProgress', { done: labels.done, total: labels.total })}</Text>
                  <ProgressBar progress={Math.round((labels.done / Math.max(1, labels.total)) * 100)} tone="success" animated={labels.status !== 'done'} />
                  {labels.status === 'done' ? <PrintButton href={`/app/documents/labels/${labels.id}`} label={t('batch.labelsReady')} variant="primary" /> : null}
                  {labels.error ? <Text as="p" tone="critical">{labels.error}</Text> : null}
                </BlockStack>
              ) : null}
            </BlockStack>
          </Card>
        </Layout.Section>
        {failed.length ? (
          <Layout.Section>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {t('batch.failures')}
                </Text>
                {failed.map((o) => (
                  <InlineStack key={o.orderId} gap="200" blockAlign="center">
                    <Link to={`/app/orders/${o.orderId}`}>{o.orderNumber ?? t('batch.order', { id: o.orderId })}</Link>
                    <Text as="span" tone="critical">
                      {o.error}
                    </Text>
                  </InlineStack>
                ))}
              </BlockStack>
            </Card>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card padding="0">
            <IndexTable
              resourceName={{ singular: 'order', plural: 'orders' }}
              itemCount={batch.orders.length}
              selectable={false}
              headings={[{ title: t('batch.orders') }, { title: t('orders.col.status') }, { title: 'AWB' }]}
            >
              {batch.orders.map((o, i) => (
                <IndexTable.Row id={o.orderId} key={o.orderId} position={i}>
                  <IndexTable.Cell>
                    <Link to={`/app/orders/${o.orderId}`}>{o.orderNumber ?? t('batch.order', { id: o.orderId })}</Link>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Badge tone={o.status === 'done' ? 'success' : o.status === 'failed' ? 'critical' : 'info'}>{t(`batch.status.${o.status}` as MessageKey)}</Badge>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{o.awbs.length ? o.awbs.join(', ') : '—'}</IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
