import { BlockStack, Button, Card, DataTable, InlineStack, Page, Text } from '@shopify/polaris';
import { useLoaderData } from 'react-router';
import { CoreErrorBanner } from '../components/ui';
import { attempt, core } from '../core-api.server';
import { useT } from '../i18n';
import { authenticate } from '../shopify.server';
import type { Route } from './+types/app.warehouse.pick-lists.$id';

type PickList = { id: string; status: string; pickerName: string | null; lines: Array<{ lineNo: number; binCode: string | null; sku: string | null; name: string; quantity: number; picked: number }> };

/** One pick list in pick order (bins in their walking sequence), printable from the browser. */
export async function loader({ request, params }: Route.LoaderArgs) {
  await authenticate.admin(request);
  const r = await attempt(core<PickList>(request, `/pick-lists/${params.id}`));
  return r.ok ? { pickList: r.value, error: null } : { pickList: null, error: r.error };
}

export default function PickListPage() {
  const { pickList, error } = useLoaderData<typeof loader>();
  const t = useT();
  if (!pickList) {
    return <Page title={t('warehouse.pickLists')} backAction={{ content: t('warehouse.title'), url: '/app/warehouse' }}>{error ? <CoreErrorBanner error={error} title={t('common.loadErrorTitle')} /> : null}</Page>;
  }
  return (
    <Page title={t('warehouse.pickList', { id: pickList.id })} subtitle={pickList.pickerName ?? undefined} backAction={{ content: t('warehouse.title'), url: '/app/warehouse' }}>
      <BlockStack gap="300">
        <InlineStack>
          <Button onClick={() => window.print()}>Print</Button>
        </InlineStack>
        <Card padding="0">
          <DataTable
            columnContentTypes={['text', 'text', 'text', 'numeric', 'numeric']}
            headings={['Bin', t('detail.col.sku'), t('detail.col.name'), t('detail.col.qty'), '✓']}
            rows={pickList.lines.map((l) => [l.binCode ?? '—', l.sku ?? '—', l.name, l.quantity, l.picked])}
          />
        </Card>
        <Text as="p" tone="subdued" variant="bodySm">
          {pickList.status}
        </Text>
      </BlockStack>
    </Page>
  );
}
