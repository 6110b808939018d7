import { TitleBar } from '@shopify/app-bridge-react';
import { Badge, Banner, BlockStack, Button, Card, IndexTable, InlineStack, Layout, Page, Text, TextField } from '@shopify/polaris';
import { useState } from 'react';
import { Form, Link, useActionData, useLoaderData, useNavigation } from 'react-router';
import { EmptyBlock, PageErrorBanners } from '../components/ui';
import { attempt, core, errorView } from '../core-api.server';
import { formatDate, type MessageKey, useLocale, useT } from '../i18n';
import { authenticate } from '../shopify.server';
import type { Stall as StallDto } from '../generated/expedio-api';
import type { Route } from './+types/app.stalls';

type Stall = Pick<StallDto, 'kind' | 'subjectType' | 'subjectId' | 'message' | 'why' | 'fix' | 'since' | 'storeDifference'>;

/**
 * The one-click fixes: the core call that does what the stall's `fix` says, where there is one.
 * The others are fixed elsewhere (a courier's address, the ANAF connection): their text says where.
 */
const FIXES: Record<string, { label: MessageKey; call: (s: Stall) => { path: string; body?: unknown } }> = {
  'delivery_note.not_generated': { label: 'action.deliveryNote', call: (s) => ({ path: `/orders/${s.subjectId}/delivery-notes`, body: {} }) },
  'delivery_note.blocked': { label: 'common.retry', call: () => ({ path: '/delivery-notes/recheck', body: {} }) },
  'invoice.not_generated': { label: 'action.invoice', call: (s) => ({ path: `/orders/${s.subjectId}/invoice` }) },
  'einvoice.rejected': { label: 'action.resubmit', call: (s) => ({ path: `/invoices/${s.subjectId}/e-invoice/resubmit`, body: {} }) },
  'shipment.failed_attempt': { label: 'common.retry', call: (s) => ({ path: `/shipments/${s.subjectId}/refresh` }) },
};
const fixOf = (s: Stall) => FIXES[s.kind];

export async function loader({ request }: Route.LoaderArgs) {
  await authenticate.admin(request);
  const r = await attempt(core<{ stalls: Stall[] }>(request, '/stalls'));
  return r.ok ? { stalls: r.value.stalls, error: null } : { stalls: [] as Stall[], error: r.error };
}

export async function action({ request }: Route.ActionArgs) {
  await authenticate.admin(request);
  const form = await request.formData();
  const stall = JSON.parse(String(form.get('stall') ?? '{}')) as Stall;
  if (form.get('intent') === 'accept-difference') {
    // The invoice as computed, at the total the merchant saw; the core refuses (409) if it would now be another.
    const difference = stall.storeDifference;
    if (stall.kind !== 'invoice.total_mismatch' || !difference) return { done: null, error: { status: 400, code: 'VALIDATION', message: 'This stall has no invoice difference to accept.', details: [{ path: 'stall', reason: 'not an invoice total mismatch' }] } };
    try {
      const reason = String(form.get('reason') ?? '');
      const invoice = await core<{ number: string | null }>(request, `/orders/${stall.subjectId}/invoice`, { method: 'POST', body: { acceptStoreDifference: { invoiceTotal: difference.invoiceTotal, reason, acceptedBy: 'Shopify admin' } } });
      return { done: null, issued: { number: invoice.number ?? '', total: `${difference.invoiceTotal} ${difference.currency}` }, error: null };
    } catch (error) {
      return { done: null, error: errorView(error) };
    }
  }
  const fix = fixOf(stall);
  if (!fix) return { done: null, error: { status: 400, code: 'VALIDATION', message: `Stall ${stall.kind} has no one-click fix.`, details: [{ path: 'stall', reason: 'no fix' }] } };
  try {
    const { path, body } = fix.call(stall);
    await core(request, path, { method: 'POST', ...(body !== undefined ? { body } : {}) });
    return { done: stall.message, error: null };
  } catch (error) {
    return { done: null, error: errorView(error) };
  }
}

export default function StallsPage() {
  const { stalls, error } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const locale = useLocale();
  return (
    <Page title={t('stalls.title')} subtitle={t('stalls.subtitle')}>
      <TitleBar title={t('stalls.title')} />
      <Layout>
        <PageErrorBanners loadError={error} actionError={result?.error} />
        {result?.done ? (
          <Layout.Section>
            <Banner tone="success" title={t('stalls.fixed', { what: result.done })} />
          </Layout.Section>
        ) : null}
        {result && 'issued' in result && result.issued ? (
          <Layout.Section>
            <Banner tone="success" title={t('stalls.invoiceIssued', result.issued)} />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card padding="0">
            <IndexTable
              resourceName={{ singular: 'stall', plural: 'stalls' }}
              itemCount={stalls.length}
              selectable={false}
              emptyState={<EmptyBlock title={t('stalls.empty.title')} body={t('stalls.empty.body')} />}
              headings={[{ title: t('stalls.title') }, { title: t('stalls.why') }, { title: t('stalls.fix') }]}
            >
              {stalls.map((s, i) => {
                const fix = fixOf(s);
                const key = `${s.kind}:${s.subjectType}:${s.subjectId}`;
                return (
                  <IndexTable.Row id={key} key={key} position={i}>
                    <IndexTable.Cell>
                      <BlockStack gap="100">
                        <InlineStack gap="200">
                          <Badge tone="critical">{s.kind}</Badge>
                          {s.since ? (
                            <Text as="span" variant="bodySm" tone="subdued">
                              {t('stalls.since', { date: formatDate(locale, s.since) })}
                            </Text>
                          ) : null}
                        </InlineStack>
                        <div style={{ whiteSpace: 'normal', minWidth: '16rem', maxWidth: '30rem' }}>
                          <Text as="span" fontWeight="semibold">
                            {s.message}
                          </Text>
                        </div>
                      </BlockStack>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <div style={{ whiteSpace: 'normal', minWidth: '10rem', maxWidth: '20rem' }}>
                        <Text as="span" variant="bodySm">
                          {s.why}
                        </Text>
                      </div>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <BlockStack gap="100" inlineAlign="start">
                        <div style={{ whiteSpace: 'normal', minWidth: '14rem', maxWidth: '22rem' }}>
                          <Text as="span" variant="bodySm" tone="subdued">
                            {s.fix}
                          </Text>
                        </div>
                        <InlineStack gap="200">
                          {fix ? (
                            <Form method="post">
                              <input type="hidden" name="stall" value={JSON.stringify(s)} />
                              <Button submit size="slim" variant="primary" loading={navigation.state !== 'idle' && navigation.formData?.get('stall') === JSON.stringify(s)}>
                                {t(fix.label)}
                              </Button>
                            </Form>
                          ) : null}
                          {s.subjectType === 'order' ? <Link to={`/app/orders/${s.subjectId}`}>{t('stalls.openOrder')}</Link> : null}
                        </InlineStack>
                        {s.kind === 'invoice.total_mismatch' && s.storeDifference ? <AcceptDifference stall={s} busy={navigation.state !== 'idle'} /> : null}
                      </BlockStack>
                    </IndexTable.Cell>
                  </IndexTable.Row>
                );
              })}
            </IndexTable>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

/** An invoice held for a store difference, issued as computed once the merchant says why (kept with the invoice). */
function AcceptDifference({ stall, busy }: { stall: Stall; busy: boolean }) {
  const t = useT();
  const [reason, setReason] = useState('');
  const d = stall.storeDifference!;
  return (
    <Form method="post">
      <input type="hidden" name="stall" value={JSON.stringify(stall)} />
      <input type="hidden" name="intent" value="accept-difference" />
      <BlockStack gap="100">
        <TextField label={t('stalls.acceptReason')} name="reason" value={reason} onChange={setReason} autoComplete="off" multiline={2} />
        <Button submit size="slim" tone="critical" disabled={reason.trim().length < 3} loading={busy}>
          {t('stalls.acceptDifference', { total: `${d.invoiceTotal} ${d.currency}` })}
        </Button>
      </BlockStack>
    </Form>
  );
}
