import { TitleBar } from '@shopify/app-bridge-react';
import { Badge, Banner, Button, Card, IndexTable, InlineStack, Layout, Page, Select, Text } from '@shopify/polaris';
import { useState } from 'react';
import { Form, Link, useActionData, useLoaderData, useNavigation } from 'react-router';
import { EmptyBlock, PageErrorBanners } from '../components/ui';
import { attempt, core, errorView } from '../core-api.server';
import { listOrders, sessionTokenFromRequest } from '../expedio-core.server';
import { formatDate, type MessageKey, useLocale, useT } from '../i18n';
import { authenticate } from '../shopify.server';
import type { Route } from './+types/app.warehouse._index';

type PickList = { id: string; status: string; pickerUserId: string | null; pickerName: string | null; orderCount: number; lineCount: number; quantity: number; picked: number; createdAt: string };
const OPEN_PICK_LIST = new Set(['open', 'picking']);
type User = { id: string; name: string | null; email: string; role: string };

/** Waves and pick lists: the confirmed orders picked together, their picker, the printable list. */
export async function loader({ request }: Route.LoaderArgs) {
  await authenticate.admin(request);
  const [lists, users, confirmed] = await Promise.all([
    attempt(core<{ pickLists: PickList[] }>(request, '/pick-lists')),
    attempt(core<{ users: User[] }>(request, '/users')),
    attempt(listOrders(sessionTokenFromRequest(request), { status: 'confirmed', limit: 200 })),
  ]);
  // A confirmed order already on a pick list still being picked is not offered for a new wave.
  const open = lists.ok ? lists.value.pickLists.filter((pl) => OPEN_PICK_LIST.has(pl.status)) : [];
  const onOpenLists = new Set(
    (await Promise.all(open.map((pl) => attempt(core<{ orders: Array<{ orderId: string }> }>(request, `/pick-lists/${pl.id}`))))).flatMap((r) => (r.ok ? r.value.orders.map((o) => o.orderId) : [])),
  );
  return {
    pickLists: lists.ok ? lists.value.pickLists : [],
    error: lists.ok ? null : lists.error,
    users: users.ok ? users.value.users : [],
    confirmedOrderIds: confirmed.ok ? confirmed.value.orders.map((o) => o.id).filter((id) => !onOpenLists.has(id)) : [],
  };
}

export async function action({ request }: Route.ActionArgs) {
  await authenticate.admin(request);
  const form = await request.formData();
  try {
    if (form.get('intent') === 'assign') {
      const id = String(form.get('pickListId'));
      await core(request, `/pick-lists/${id}/assign`, { method: 'POST', body: { userId: String(form.get('userId') || '') || null } });
      return { done: 'warehouse.assigned' as MessageKey, vars: { id }, error: null };
    }
    const orderIds = String(form.get('orderIds') ?? '').split(',').filter(Boolean);
    const created = await core<{ id: string; orders?: unknown[] }>(request, '/pick-lists', { method: 'POST', body: { orderIds } });
    return { done: 'warehouse.pickListCreated' as MessageKey, vars: { id: created.id, count: orderIds.length }, error: null };
  } catch (error) {
    return { done: null, vars: {}, error: errorView(error) };
  }
}

export default function WarehousePage() {
  const { pickLists, error, users, confirmedOrderIds } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const locale = useLocale();
  return (
    <Page title={t('warehouse.title')}>
      <TitleBar title={t('warehouse.title')} />
      <Layout>
        <PageErrorBanners loadError={error} actionError={result?.error} />
        {result?.done ? (
          <Layout.Section>
            <Banner tone="success" title={t(result.done, result.vars as Record<string, string | number>)} />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card>
            <InlineStack align="space-between" blockAlign="center">
              <Text as="p">{t('warehouse.waiting', { count: confirmedOrderIds.length })}</Text>
              <Form method="post">
                <input type="hidden" name="intent" value="create" />
                <input type="hidden" name="orderIds" value={confirmedOrderIds.join(',')} />
                <Button submit variant="primary" disabled={confirmedOrderIds.length === 0} loading={navigation.formData?.get('intent') === 'create'}>
                  {t('warehouse.createPickList')}
                </Button>
              </Form>
            </InlineStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            <IndexTable
              resourceName={{ singular: 'pick list', plural: 'pick lists' }}
              itemCount={pickLists.length}
              selectable={false}
              emptyState={<EmptyBlock title={t('warehouse.pickLists')} body={t('warehouse.noPickLists')} />}
              headings={[{ title: t('warehouse.pickLists') }, { title: t('orders.col.date') }, { title: t('orders.col.status') }, { title: t('warehouse.col.contents') }, { title: t('warehouse.picker') }]}
            >
              {pickLists.map((pl, i) => (
                <IndexTable.Row id={pl.id} key={pl.id} position={i}>
                  <IndexTable.Cell>
                    <Link to={`/app/warehouse/pick-lists/${pl.id}`}>{t('warehouse.pickList', { id: pl.id })}</Link>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{formatDate(locale, pl.createdAt)}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <Badge tone={pl.status === 'completed' ? 'success' : 'info'}>{pl.status}</Badge>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    {t('warehouse.orders', { count: pl.orderCount })} · {t('warehouse.lines', { count: pl.lineCount })} · {pl.picked}/{pl.quantity}
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <AssignForm pickList={pl} users={users} />
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function AssignForm({ pickList, users }: { pickList: PickList; users: User[] }) {
  const t = useT();
  const [userId, setUserId] = useState(pickList.pickerUserId ?? '');
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="assign" />
      <input type="hidden" name="pickListId" value={pickList.id} />
      <input type="hidden" name="userId" value={userId} />
      <InlineStack gap="200" blockAlign="center" wrap={false}>
        <Select label={t('warehouse.picker')} labelHidden options={[{ label: '—', value: '' }, ...users.map((u) => ({ label: u.name ?? u.email, value: u.id }))]} value={userId} onChange={setUserId} />
        <Button submit size="slim">
          {t('warehouse.assign')}
        </Button>
      </InlineStack>
    </Form>
  );
}
