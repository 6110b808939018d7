import '@shopify/ui-extensions/preact';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { core, corePdf, errorText, shopifyApi, t } from '../../shared/core-client.ts';
import { awaitingAwb, canInvoice, isLive, loadOrderState, type OrderState, type Quotes } from '../../shared/order-state.ts';
import { statusLabel } from '../../shared/labels.ts';

export default async () => {
  render(<OrderActions />, document.body);
};

type LabelFormat = 'A4' | 'A6';
type Done = { message: string; pdf?: { url: string } };

function OrderActions() {
  const orderGid = shopifyApi().data.selected[0]?.id ?? '';
  const [state, setState] = useState<OrderState | null | undefined>(undefined);
  const [quotes, setQuotes] = useState<Record<string, Quotes>>({});
  const [quote, setQuote] = useState<Record<string, string>>({});
  const [format, setFormat] = useState<LabelFormat>('A6');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<Done | null>(null);

  const reload = async () => {
    const s = await loadOrderState(orderGid);
    // Quotes for each packing list waiting for its AWB and measured (the courier is what the merchant picks);
    // the order is shown with them, so the AWB button never appears before its courier choice.
    const waiting = s ? awaitingAwb(s).filter((pl) => !pl.missingForAwb.some((f) => f.startsWith('parcels') || f === 'deliveryAddress')) : [];
    const q: Record<string, Quotes> = {};
    for (const pl of waiting) q[pl.id] = await core<Quotes>(`/packing-lists/${pl.id}/quotes`);
    setQuotes(q);
    setQuote(Object.fromEntries(Object.entries(q).map(([id, qs]) => [id, qs.cheapest[0] ? `${qs.cheapest[0].courier}|${qs.cheapest[0].service}` : ''])));
    setState(s);
  };

  useEffect(() => {
    reload().catch((e: unknown) => {
      setError(errorText(e));
      setState(null);
    });
  }, [orderGid]);

  const act = (name: string, run: () => Promise<Done>) => async () => {
    setBusy(name);
    setError(null);
    setDone(null);
    try {
      const result = await run();
      await reload();
      setDone(result);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  const createAwb = (packingListId: string) =>
    act(`awb-${packingListId}`, async () => {
      const [courier, service] = (quote[packingListId] ?? '').split('|');
      const s = await core<{ awb: string | null; courier: string }>(`/packing-lists/${packingListId}/awb`, {
        method: 'POST',
        body: { ...(courier ? { courier } : {}), ...(service ? { service } : {}), labelFormat: format },
      });
      return { message: t('done.awb', { awb: s.awb ?? '', courier: s.courier }) };
    });
  const printLabel = (shipmentId: string, awb: string) =>
    act(`label-${shipmentId}`, async () => {
      const pdf = await corePdf(`/shipments/${shipmentId}/label`, { format });
      return { message: t('done.label', { awb, format: t(`format.${format}`) }), pdf };
    });
  const issueInvoice = act('invoice', async () => {
    const r = await core<{ invoiceId: string | null; number: string | null; skipped?: string }>(`/orders/${state!.order.id}/invoice`, { method: 'POST' });
    // The core answers 200 without an invoice when the channel's settings say not to invoice (or VAT holds it).
    if (!r.invoiceId) throw new Error(t('invoice.skipped', { reason: r.skipped ?? '' }));
    return { message: t('done.invoice', { number: r.number ?? '' }) };
  });

  const number = state?.order.externalNumber ?? '';
  const live = state ? state.shipments.filter(isLive) : [];
  const waiting = state ? awaitingAwb(state) : [];
  const formatSelect = (
    <s-select label={t('label.format')} value={format} onChange={(e) => setFormat((e.currentTarget as unknown as { value: string }).value === 'A4' ? 'A4' : 'A6')}>
      <s-option value="A6">{t('format.A6')}</s-option>
      <s-option value="A4">{t('format.A4')}</s-option>
    </s-select>
  );

  return (
    <s-admin-action heading={state ? t('heading', { number }) : t('headingLoading')} loading={state === undefined}>
      <s-stack gap="base">
        {error ? <s-banner tone="critical" heading={t('error.title')}>{error}</s-banner> : null}
        {done ? (
          <s-banner tone="success" heading={done.message}>
            {done.pdf ? (
              <s-link href={done.pdf.url} target="_blank">
                {t('label.open')}
              </s-link>
            ) : null}
          </s-banner>
        ) : null}
        {state === null && !error ? <s-paragraph>{t('notInExpedio')}</s-paragraph> : null}
        {state ? (
          <>
            <s-text>{t('statusLine', { status: statusLabel(state.order.status) })}</s-text>
            {waiting.map((pl) => {
              const q = quotes[pl.id];
              const missing = pl.missingForAwb;
              return (
                <s-section key={pl.id} heading={t('awb.heading', { id: pl.id })}>
                  <s-stack gap="small">
                    {q && q.cheapest.length > 0 ? (
                      <s-select label={t('awb.courier')} value={quote[pl.id] ?? ''} onChange={(e) => setQuote({ ...quote, [pl.id]: (e.currentTarget as unknown as { value: string }).value })}>
                        {q.cheapest.map((o) => (
                          <s-option key={`${o.courier}|${o.service}`} value={`${o.courier}|${o.service}`}>
                            {t('awb.quote', { courier: o.courier, service: o.service, price: `${o.price.amount} ${o.price.currency}`, days: o.estimatedDays ?? '?' })}
                          </s-option>
                        ))}
                      </s-select>
                    ) : missing.length ? (
                      <s-paragraph>{t('awb.missing', { fields: missing.join(', ') })}</s-paragraph>
                    ) : (
                      <s-paragraph>{t('awb.noQuotes')}</s-paragraph>
                    )}
                    {q?.failures.map((f) => (
                      <s-text key={f.courier} tone="caution">
                        {t('awb.quoteFailed', { courier: f.courier, message: f.message })}
                      </s-text>
                    ))}
                    {formatSelect}
                    <s-button variant="primary" onClick={createAwb(pl.id)} loading={busy === `awb-${pl.id}`} disabled={busy !== null || missing.length > 0}>
                      {t('awb.create')}
                    </s-button>
                  </s-stack>
                </s-section>
              );
            })}
            {live.length ? (
              <s-section heading={t('label.heading')}>
                <s-stack gap="small">
                  {waiting.length ? null : formatSelect}
                  {live.map((s) => (
                    <s-stack key={s.id} direction="inline" gap="small" alignItems="center">
                      <s-text>{t('label.awb', { courier: s.courier, awb: s.awb ?? '' })}</s-text>
                      <s-button onClick={printLabel(s.id, s.awb ?? '')} loading={busy === `label-${s.id}`} disabled={busy !== null}>
                        {t('label.print')}
                      </s-button>
                    </s-stack>
                  ))}
                </s-stack>
              </s-section>
            ) : null}
            <s-section heading={t('invoice.heading')}>
              {state.invoice ? (
                <s-text>{t('invoice.issued', { number: state.invoice.fullNumber, eInvoice: state.invoice.eInvoice ? t(`eInvoice.${state.invoice.eInvoice.state}`) : t('eInvoice.none') })}</s-text>
              ) : canInvoice(state) ? (
                <s-button onClick={issueInvoice} loading={busy === 'invoice'} disabled={busy !== null}>
                  {t('invoice.issue')}
                </s-button>
              ) : (
                <s-text>{t('invoice.notNow')}</s-text>
              )}
            </s-section>
            {!waiting.length && !live.length && state.packingLists.length === 0 ? <s-paragraph>{t('awb.notPacked')}</s-paragraph> : null}
          </>
        ) : null}
      </s-stack>
      <s-button slot="secondary-actions" onClick={() => shopifyApi().close?.()}>
        {t('close')}
      </s-button>
    </s-admin-action>
  );
}
