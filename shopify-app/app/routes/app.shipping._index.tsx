import { TitleBar } from '@shopify/app-bridge-react';
import { Badge, BlockStack, Button, Card, IndexTable, InlineStack, Layout, Page, Select, Text, TextField } from '@shopify/polaris';
import { useState } from 'react';
import { Link, useLoaderData } from 'react-router';
import { PrintButton } from '../components/print-button';
import { CoreErrorBanner, EmptyBlock } from '../components/ui';
import { attempt, core } from '../core-api.server';
import { COURIER_CODES } from '../generated/expedio-api';
import { useT } from '../i18n';
import { authenticate } from '../shopify.server';
import type { Route } from './+types/app.shipping._index';

type PackingList = {
  id: string;
  orderId: string;
  orderNumber: string | null;
  status: string;
  courier: string | null;
  service: string | null;
  parcels: Array<{ weightKg: string | number | null; lengthCm: number | null; widthCm: number | null; heightCm: number | null }>;
  missingForAwb: string[];
};

/** Shipping: the packing lists waiting for their AWB (measures and parcels) and the courier's hand-over manifest. */
export async function loader({ request }: Route.LoaderArgs) {
  await authenticate.admin(request);
  const [lists, warehouses, accounts] = await Promise.all([
    attempt(core<{ packingLists: PackingList[] }>(request, '/packing-lists', { query: { status: 'ready_to_deliver' } })),
    attempt(core<{ warehouses: Array<{ id: string; name: string; code: string }> }>(request, '/warehouses')),
    attempt(core<{ accounts: Array<{ courier: string }> }>(request, '/courier-accounts')),
  ]);
  // The manifest's couriers: the ones the merchant has an account with first, then the others.
  const own = accounts.ok ? [...new Set(accounts.value.accounts.map((a) => a.courier))].filter((c) => (COURIER_CODES as readonly string[]).includes(c)) : [];
  return {
    packingLists: lists.ok ? lists.value.packingLists : [],
    error: lists.ok ? null : lists.error,
    warehouses: warehouses.ok ? warehouses.value.warehouses : [],
    today: new Date().toISOString().slice(0, 10),
    couriers: [...own, ...COURIER_CODES.filter((c) => !own.includes(c))],
  };
}

export default function ShippingPage() {
  const { packingLists, error, warehouses, today, couriers } = useLoaderData<typeof loader>();
  const t = useT();
  const [courier, setCourier] = useState<string>(couriers[0] ?? COURIER_CODES[0]);
  const [warehouseId, setWarehouseId] = useState(warehouses[0]?.id ?? '');
  const [day, setDay] = useState(today);
  return (
    <Page title={t('shipping.title')}>
      <TitleBar title={t('shipping.title')} />
      <Layout>
        {error ? (
          <Layout.Section>
            <CoreErrorBanner error={error} title={t('common.loadErrorTitle')} />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card padding="0">
            <IndexTable
              resourceName={{ singular: 'packing list', plural: 'packing lists' }}
              itemCount={packingLists.length}
              selectable={false}
              emptyState={<EmptyBlock title={t('shipping.waitingEmpty.title')} body={t('shipping.waitingEmpty.body')} />}
              headings={[{ title: t('shipping.packingLists') }, { title: t('orders.col.order') }, { title: t('warehouse.courier') }, { title: t('shipping.col.parcels') }, { title: t('orders.col.status') }]}
            >
              {packingLists.map((pl, i) => (
                <IndexTable.Row id={pl.id} key={pl.id} position={i}>
                  <IndexTable.Cell>{t('shipping.packingList', { id: pl.id })}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <Link to={`/app/orders/${pl.orderId}`}>{pl.orderNumber ?? pl.orderId}</Link>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{[pl.courier, pl.service].filter(Boolean).join(' · ') || '—'}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" variant="bodySm">
                      {pl.parcels.map((p) => t('shipping.parcel', { weight: String(p.weightKg ?? '?'), l: p.lengthCm ?? '?', w: p.widthCm ?? '?', h: p.heightCm ?? '?' })).join(' · ') || '—'}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <div style={{ whiteSpace: 'normal', minWidth: '10rem' }}>
                      {pl.missingForAwb.length ? <Badge tone="warning">{t('shipping.missing', { fields: pl.missingForAwb.join(', ') })}</Badge> : <Badge tone="success">{t('status.packed')}</Badge>}
                    </div>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t('warehouse.manifest')}
              </Text>
              <Select label={t('warehouse.courier')} options={couriers.map((c) => ({ label: c, value: c }))} value={courier} onChange={setCourier} />
              <Select label={t('warehouse.warehouse')} options={warehouses.map((w) => ({ label: `${w.code} · ${w.name}`, value: w.id }))} value={warehouseId} onChange={setWarehouseId} />
              <TextField label={t('warehouse.day')} type="date" value={day} onChange={setDay} autoComplete="off" />
              <InlineStack>
                {warehouseId ? <PrintButton href={`/app/documents/manifest/manifest?courier=${courier}&warehouseId=${warehouseId}&day=${day}`} label={t('warehouse.manifestOpen')} /> : <Button disabled>{t('warehouse.manifestOpen')}</Button>}
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
