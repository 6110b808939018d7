import '@shopify/ui-extensions/preact';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { core, corePdf, errorText, findOrder, pause, shopifyApi, t } from '../../shared/core-client.ts';
import type { OrderListRow, ShipBatch } from '../../shared/generated/expedio-api.ts';
import { statusLabel } from '../../shared/labels.ts';

export default async () => {
  render(<BulkShip />, document.body);
};

/** How often the run is polled while the core works through it. */
const POLL_MS = 500;

type LabelFormat = 'A4' | 'A6';
type LabelBatch = { id: string; status: 'pending' | 'running' | 'done' | 'failed'; done: number; total: number; pdfUrl: string | null; error?: string | null };

/** A bar of the run's progress: Polaris has no progress bar for extensions, so two boxes make one. */
function ProgressBar({ done, total }: { done: number; total: number }) {
  const pct = total ? Math.round((done / total) * 100) : 0;
  return (
    <s-box background="subdued" borderRadius="base" blockSize="8px" inlineSize="100%" accessibilityLabel={`${pct}%`}>
      <s-box background="strong" borderRadius="base" blockSize="8px" inlineSize={`${pct}%`} />
    </s-box>
  );
}

function BulkShip() {
  const selected = shopifyApi().data.selected.map((s) => s.id);
  const [orders, setOrders] = useState<OrderListRow[] | undefined>(undefined);
  const [missing, setMissing] = useState(0);
  const [format, setFormat] = useState<LabelFormat>('A6');
  const [batch, setBatch] = useState<ShipBatch | null>(null);
  const [labels, setLabels] = useState<LabelBatch | null>(null);
  const [pdf, setPdf] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const loadOrders = async () => {
    const found = await Promise.all(selected.map((gid) => findOrder(gid)));
    const known = found.filter((o): o is OrderListRow => o !== null);
    setOrders(known);
    setMissing(found.length - known.length);
  };
  useEffect(() => {
    loadOrders().catch((e: unknown) => {
      setError(errorText(e));
      setOrders([]);
    });
  }, [selected.join(',')]);

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const follow = async (started: ShipBatch) => {
    let b = started;
    setBatch(b);
    while (b.status === 'running') {
      await pause(POLL_MS);
      b = await core<ShipBatch>(`/ship-batches/${b.id}`);
      setBatch(b);
    }
    await loadOrders(); // the shipped orders' new statuses
  };
  const shipAll = () =>
    run(async () => {
      setLabels(null);
      setPdf(null);
      await follow(await core<ShipBatch>('/ship-batches', { method: 'POST', body: { orderIds: (orders ?? []).map((o) => o.id), labelFormat: format } }));
    });
  const retry = () => run(async () => follow(await core<ShipBatch>(`/ship-batches/${batch!.id}/retry`, { method: 'POST' })));

  const shipmentIds = batch ? batch.orders.flatMap((o) => o.shipmentIds) : [];
  const printLabels = () =>
    run(async () => {
      setPdf(null);
      let lb = await core<LabelBatch>('/label-batches', { method: 'POST', body: { shipmentIds, format } });
      setLabels(lb);
      while (lb.status === 'pending' || lb.status === 'running') {
        await pause(POLL_MS);
        lb = await core<LabelBatch>(`/label-batches/${lb.id}`);
        setLabels(lb);
      }
      if (lb.status === 'failed' || !lb.pdfUrl) throw new Error(lb.error ?? t('error.http', { status: 500 }));
      setPdf((await corePdf(lb.pdfUrl.replace(/^\/api\/v1/, ''))).url);
    });

  const numberOf = (orderId: string) => {
    const o = orders?.find((x) => x.id === orderId);
    return o?.externalNumber ?? o?.externalOrderId ?? orderId;
  };
  const count = orders?.length ?? 0;

  return (
    <s-admin-action heading={t('heading', { count: selected.length })} loading={orders === undefined}>
      <s-stack gap="base">
        {error ? <s-banner tone="critical" heading={t('error.title')}>{error}</s-banner> : null}
        {missing > 0 ? <s-banner tone="warning" heading={t('missing', { count: missing })} /> : null}
        {orders && count === 0 && !error ? <s-paragraph>{t('nothing')}</s-paragraph> : null}
        {orders && count > 0 ? (
          <>
            <s-select label={t('label.format')} value={format} onChange={(e) => setFormat((e.currentTarget as unknown as { value: string }).value === 'A4' ? 'A4' : 'A6')}>
              <s-option value="A6">{t('format.A6')}</s-option>
              <s-option value="A4">{t('format.A4')}</s-option>
            </s-select>
            <s-unordered-list>
              {orders.map((o) => {
                const inRun = batch?.orders.find((b) => b.orderId === o.id);
                const awbs = inRun?.awbs.length ? inRun.awbs : o.awbs.map((a) => a.awb).filter((a): a is string => !!a);
                return (
                  <s-list-item key={o.id}>
                    {awbs.length ? t('orderAwb', { number: o.externalNumber ?? o.externalOrderId, status: statusLabel(o.status), awbs: awbs.join(', ') }) : t('order', { number: o.externalNumber ?? o.externalOrderId, status: statusLabel(o.status) })}
                    {inRun?.status === 'pending' ? ` · ${t('pending')}` : ''}
                  </s-list-item>
                );
              })}
            </s-unordered-list>
          </>
        ) : null}
        {batch ? (
          <s-section heading={t('progress', { done: batch.done, total: batch.total, failed: batch.failed })}>
            <s-stack gap="small">
              <ProgressBar done={batch.done + batch.failed} total={batch.total} />
              {batch.status !== 'running' ? <s-text>{t('shipDone', { done: batch.done, failed: batch.failed })}</s-text> : null}
              {batch.orders
                .filter((o) => o.status === 'failed')
                .map((o) => (
                  <s-text key={o.orderId} tone="critical">
                    {t('failed', { number: numberOf(o.orderId), error: o.error ?? '' })}
                  </s-text>
                ))}
            </s-stack>
          </s-section>
        ) : null}
        {labels ? (
          <s-section heading={t('labelProgress', { done: labels.done, total: labels.total })}>
            <s-stack gap="small">
              <ProgressBar done={labels.done} total={labels.total} />
              {pdf ? (
                <s-banner tone="success" heading={t('labelsReady', { count: labels.total })}>
                  <s-link href={pdf} target="_blank">
                    {t('openLabels')}
                  </s-link>
                </s-banner>
              ) : null}
            </s-stack>
          </s-section>
        ) : null}
      </s-stack>
      {batch && batch.status !== 'running' && shipmentIds.length ? (
        <s-button slot="primary-action" variant="primary" onClick={printLabels} loading={busy} disabled={busy}>
          {t('labels', { count: shipmentIds.length })}
        </s-button>
      ) : (
        <s-button slot="primary-action" variant="primary" onClick={shipAll} loading={busy} disabled={busy || count === 0 || batch?.status === 'running'}>
          {t('ship', { count })}
        </s-button>
      )}
      {batch?.failed && batch.status !== 'running' ? (
        <s-button slot="secondary-actions" onClick={retry} disabled={busy}>
          {t('retry')}
        </s-button>
      ) : null}
      <s-button slot="secondary-actions" onClick={() => shopifyApi().close?.()}>
        {t('close')}
      </s-button>
    </s-admin-action>
  );
}
