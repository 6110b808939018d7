import '@shopify/ui-extensions/preact';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { errorText, shopifyApi, t } from '../../shared/core-client.ts';
import { statusLabel } from '../../shared/labels.ts';
import { isLive, loadOrderState, type OrderState } from '../../shared/order-state.ts';

export default async () => {
  render(<OrderBlock />, document.body);
};

const TONE: Record<string, 'success' | 'warning' | 'critical' | 'info' | 'neutral'> = {
  delivered: 'success',
  shipping: 'info',
  on_hold: 'warning',
  cancelled: 'critical',
};

function OrderBlock() {
  const orderGid = shopifyApi().data.selected[0]?.id ?? '';
  const [state, setState] = useState<OrderState | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    loadOrderState(orderGid).then(setState, (e: unknown) => {
      setError(errorText(e));
      setState(null);
    });
  }, [orderGid]);

  if (state === undefined) {
    return (
      <s-admin-block heading={t('heading')}>
        <s-stack direction="inline" gap="small" alignItems="center">
          <s-spinner accessibilityLabel={t('loading')} />
          <s-text>{t('loading')}</s-text>
        </s-stack>
      </s-admin-block>
    );
  }
  if (!state) {
    return (
      <s-admin-block heading={t('heading')}>
        {error ? <s-banner tone="critical" heading={t('error.title')}>{error}</s-banner> : <s-paragraph>{t('notInExpedio')}</s-paragraph>}
      </s-admin-block>
    );
  }
  const { order, invoice, stalls } = state;
  const awbs = state.shipments.filter(isLive);
  return (
    <s-admin-block heading={t('heading')} collapsedSummary={statusLabel(order.status)}>
      <s-stack gap="base">
        <s-stack direction="inline" gap="small" alignItems="center">
          <s-text type="strong">{t('statusTitle')}</s-text>
          <s-badge tone={TONE[order.status] ?? 'neutral'}>{statusLabel(order.status)}</s-badge>
        </s-stack>
        {stalls.map((s) => (
          <s-banner key={`${s.kind}-${s.subjectId}`} tone="warning" heading={t('stall', { message: s.message })}>
            <s-paragraph>{t('why', { why: s.why })}</s-paragraph>
            <s-paragraph>{t('fix', { fix: s.fix })}</s-paragraph>
          </s-banner>
        ))}
        {order.holdReason && !stalls.some((s) => s.subjectType === 'order') ? <s-banner tone="warning" heading={t('hold', { reason: order.holdReason })} /> : null}
        <s-stack gap="small-200">
          <s-text type="strong">{t('awbs')}</s-text>
          {awbs.length ? (
            awbs.map((s) =>
              s.trackingUrl ? (
                <s-link key={s.id} href={s.trackingUrl} target="_blank">
                  {t('track', { courier: s.courier, awb: s.awb ?? '' })}
                </s-link>
              ) : (
                <s-text key={s.id}>{`${s.courier} ${s.awb ?? ''}`}</s-text>
              ),
            )
          ) : (
            <s-text color="subdued">{t('noAwb')}</s-text>
          )}
        </s-stack>
        <s-stack gap="small-200">
          <s-text type="strong">{t('invoice')}</s-text>
          {invoice ? (
            <s-text>{t('invoiceLine', { number: invoice.fullNumber, eInvoice: invoice.eInvoice ? t(`eInvoice.${invoice.eInvoice.state}`) : t('eInvoice.none') })}</s-text>
          ) : (
            <s-text color="subdued">{t('noInvoice')}</s-text>
          )}
        </s-stack>
      </s-stack>
    </s-admin-block>
  );
}
