import {
  type Channel,
  getChannel,
  getChannelSettings,
  getStoreMoneyBack,
  markStoreMoneyBackDone,
  readCredentials,
  recordStoreMoneyBackFailure,
  shopPlatformFor,
  STORE_MONEY_BACK_KIND,
} from '../channels/index.ts';
import type { Sql, Tx } from '../db/connect.ts';
import { enqueue, FailureWithEffects, markOutboxDone, type OutboxHandler, PermanentFailure } from '../db/outbox.ts';
import { getInvoicingProfile } from '../invoicing/index.ts';
import { composeVoucherEmail, customerLanguage, mailSettingsFor, sendMail, tenantMailSettings } from '../notifications/index.ts';
import { getOrderDetail } from '../orders/index.ts';
import { DomainError, isDomainError } from '../shared/domain-error.ts';
import { openStall } from '../stalls/index.ts';
import { storeAnsweredReturn } from './return-goods.ts';
import { attempt, STORE_CALL } from './writeback/attempt-writeback.ts';

export const STORE_REFUND_REFUSED_STALL = 'store.refund_refused';
export const VOUCHER_EMAIL_KIND = 'notify.email.voucher';

const kindWord = (kind: 'refund' | 'voucher', platform: string) => (kind === 'refund' ? `refund on ${platform}` : platform === 'Shopify' ? 'Shopify gift card' : 'WooCommerce coupon');

/**
 * `store.money_back` { channelId, moneyBackId }: queued by `requestStoreMoneyBack` with the row.
 * Claim (the outbox), call (no transaction open: the order read from orders/, then one try at the
 * store, which looks for what an earlier try made before it makes anything), record: the row done
 * with the store's id (and the voucher's code, whose e-mail is queued in the same transaction).
 * A definite refusal (Shopify userErrors, WooCommerce 4xx or a refund it decided against) or the
 * last try failing ends the request: the row refused with the store's reason, the stall
 * `store.refund_refused` opened, the item done (one alert, not a second one for the outbox item).
 */
export const storeMoneyBackHandler: OutboxHandler = async (db, item, ctx) => {
  const id = String(item.payload.moneyBackId ?? '');
  const mb = await getStoreMoneyBack(db, item.tenantId, id);
  if (mb?.state !== 'pending') return;
  let channel: Channel;
  try {
    channel = await getChannel(db, item.tenantId, mb.channelId);
  } catch (e) {
    if (isDomainError(e) && e.code === 'NOT_FOUND') return await refuse(db, item, mb, 'the channel no longer exists');
    throw e;
  }
  const platform = shopPlatformFor(channel.kind);
  if (!platform) return await refuse(db, item, mb, `channel ${channel.id} is not a store`);
  const order = await getOrderDetail(db, item.tenantId, mb.orderId).catch((e: unknown) => {
    if (isDomainError(e) && e.code === 'NOT_FOUND') return null;
    throw e;
  });
  if (!order) return await refuse(db, item, mb, `order ${mb.orderId} no longer exists`);
  const what = `${kindWord(mb.kind, platform.name)} of ${mb.amount} ${mb.currency} for order ${order.externalNumber ?? order.id}`;
  try {
    await attempt(
      db,
      item,
      { what, channelId: channel.id, topic: `money_back.${mb.kind}`, externalId: order.externalOrderId, storeCredentials: true },
      async () => {
        const connector = platform.connect({
          channel,
          credentials: await readCredentials(db, ctx.box, item.tenantId, channel.id),
          ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
          inCallRetry: STORE_CALL,
        });
        const key = `${STORE_MONEY_BACK_KIND}:${item.tenantId}:${mb.id}:${mb.idempotencyKey}`;
        if (mb.kind === 'voucher') {
          if (!mb.plannedCode) throw new PermanentFailure(`money back ${mb.id} has no voucher code`);
          const r = await connector.pushVoucher({ orderId: order.externalOrderId, amount: mb.amount, currency: mb.currency, code: mb.plannedCode, customerEmail: mb.customerEmail, note: mb.note, idempotencyKey: key });
          return { ...r, moneyBackId: mb.id };
        }
        const lines = mb.lines.map((l) => {
          const external = l.externalLineId ?? (order.lines as unknown as Array<{ lineNo: number; externalLineId: string | null }>).find((x) => Number(x.lineNo) === l.lineNo)?.externalLineId ?? null;
          if (!external) throw new DomainError('VALIDATION', `order line ${l.lineNo ?? '?'} of order ${order.id} has no ${platform.name} line id`, [{ path: 'lines', reason: 'no store line id' }]);
          return { externalLineId: String(external), quantity: l.quantity };
        });
        const r = await connector.pushRefund({ orderId: order.externalOrderId, amount: mb.amount, currency: mb.currency, lines, shipping: mb.shipping, note: mb.note, idempotencyKey: key });
        return { ...r, code: null as string | null, moneyBackId: mb.id };
      },
      async (tx, r) => {
        // The return first (its order, then the return, are locked before the money back row, the order every return change takes).
        if (mb.source.kind === 'return') await storeAnsweredReturn(tx, item.tenantId, mb.source.id, { moneyBackId: mb.id, kind: mb.kind, done: true, ref: r.code ?? r.externalId });
        await markStoreMoneyBackDone(tx, item.tenantId, mb.id, { externalId: r.externalId, voucherCode: r.code });
        if (mb.kind === 'voucher' && mb.customerEmail) {
          await enqueue(tx, item.tenantId, VOUCHER_EMAIL_KIND, { moneyBackId: mb.id }, `${VOUCHER_EMAIL_KIND}:${mb.id}`, { target: `smtp:${item.tenantId}` });
        }
      },
    );
  } catch (e) {
    if (!(e instanceof FailureWithEffects)) throw e;
    const last = e.permanent || item.attempts + 1 >= item.maxAttempts;
    const reason = e.message;
    if (!last) {
      throw new FailureWithEffects(reason, async (tx) => {
        await e.effects(tx);
        await recordStoreMoneyBackFailure(tx, item.tenantId, mb.id, { refused: false, error: reason });
      });
    }
    await db.begin(async (tx) => {
      await tx.savepoint((sp) => e.effects(sp as unknown as Tx)).catch(() => {});
      await refuseIn(tx, item.tenantId, mb, reason, platform.name);
      await markOutboxDone(tx, item);
    });
  }
};

type MoneyBack = NonNullable<Awaited<ReturnType<typeof getStoreMoneyBack>>>;

async function refuse(db: Sql, item: Parameters<OutboxHandler>[1], mb: MoneyBack, reason: string): Promise<void> {
  await db.begin(async (tx) => {
    await refuseIn(tx, item.tenantId, mb, reason, 'the store');
    await markOutboxDone(tx, item);
  });
}

async function refuseIn(tx: Tx, tenantId: string, mb: MoneyBack, reason: string, store: string): Promise<void> {
  if (mb.source.kind === 'return') await storeAnsweredReturn(tx, tenantId, mb.source.id, { moneyBackId: mb.id, kind: mb.kind, done: false, error: `${store}: ${reason}` });
  await recordStoreMoneyBackFailure(tx, tenantId, mb.id, { refused: true, error: reason });
  await openStall(tx, tenantId, {
    kind: STORE_REFUND_REFUSED_STALL,
    subjectType: 'store_money_back',
    subjectId: mb.id,
    message: `The ${mb.kind} of ${mb.amount} ${mb.currency} for ${mb.source.kind} ${mb.source.id} (order ${mb.orderId}) was refused by ${store}: ${reason}`,
    fix: mb.kind === 'refund'
      ? 'Check the order’s payments in the store; then give the money back another way (a voucher, a credit note) or ask again once the store can refund.'
      : 'Fix the cause shown in the store, then ask for the voucher again.',
    details: { orderId: mb.orderId, source: mb.source, kind: mb.kind, amount: mb.amount, currency: mb.currency },
  });
}

/**
 * `notify.email.voucher` { moneyBackId }: the customer's voucher code, once the store made it, by
 * the tenant's SMTP (as the shipped e-mail). The Message-ID is stable per voucher, so a resend
 * after a lost commit is the same message.
 */
export const voucherEmailHandler: OutboxHandler = async (db, item, ctx) => {
  const mb = await getStoreMoneyBack(db, item.tenantId, String(item.payload.moneyBackId ?? ''));
  if (mb?.state !== 'done' || !mb.voucherCode || !mb.customerEmail) return;
  const channel = await getChannel(db, item.tenantId, mb.channelId);
  const settingsOfChannel = await getChannelSettings(db, item.tenantId, mb.channelId);
  const order = await getOrderDetail(db, item.tenantId, mb.orderId);
  const email = settingsOfChannel.notifications.email;
  await attempt(db, item, { what: 'voucher e-mail to the customer', channelId: channel.id, topic: VOUCHER_EMAIL_KIND, externalId: order.externalOrderId, storeCredentials: false }, async () => {
    const profile = await getInvoicingProfile(db, item.tenantId);
    const settings =
      (await tenantMailSettings(db, (sealed) => ctx.box.open(sealed), item.tenantId, email.from ?? profile?.mailFrom)) ??
      mailSettingsFor({ smtpUrl: profile?.smtpUrlSealed ? ctx.box.open(profile.smtpUrlSealed) : null, mailFrom: email.from ?? profile?.mailFrom ?? profile?.email ?? null });
    if (!settings) throw new PermanentFailure('no SMTP server configured (tenant mail settings smtp_url or EXPEDIO_SMTP_URL)');
    const mail = composeVoucherEmail(
      {
        tenantId: item.tenantId,
        moneyBackId: mb.id,
        to: mb.customerEmail!,
        orderNumber: order.externalNumber ?? order.id,
        code: mb.voucherCode!,
        amount: mb.amount,
        currency: mb.currency,
        storeName: channel.name,
        voucherKind: channel.kind === 'shopify' ? 'gift_card' : 'coupon',
        seller: profile?.legalName ?? channel.name,
      },
      customerLanguage(settingsOfChannel.notifications),
    );
    try {
      const sent = await sendMail(settings, email.replyTo ? { ...mail, replyTo: email.replyTo } : mail);
      return { outcome: 'ok', messageId: sent.messageId, to: mb.customerEmail };
    } catch (e) {
      throw new DomainError('UPSTREAM', `the SMTP server refused the message: ${(e as Error).message}`);
    }
  });
};

export const storeMoneyBackOutboxHandlers: Record<string, OutboxHandler> = {
  [STORE_MONEY_BACK_KIND]: storeMoneyBackHandler,
  [VOUCHER_EMAIL_KIND]: voucherEmailHandler,
};
