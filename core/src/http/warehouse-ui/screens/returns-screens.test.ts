import { describe, expect, it } from 'vitest';
import type { SessionUser } from '../../../auth/index.ts';
import { translator } from '../i18n.ts';
import { returnWords } from '../return-words.ts';
import { type ReturnDetailView, returnDetailScreen } from './returns-screens.ts';

/** A locker return's page shows the locker and the PIN the operator sends the customer, in Romanian and English. */
describe('a return page with a locker return AWB', () => {
  const user = { tenantId: '1', tenantName: 'T', userId: '1', email: 'a@b.ro', name: 'Ana', role: 'operator', language: 'ro', csrfToken: 'x', expiresAt: new Date() } satisfies SessionUser;
  const view = (over: Partial<ReturnDetailView>): ReturnDetailView => ({
    id: '7',
    orderId: '3',
    orderNumber: '#1003',
    channelName: 'Shop',
    type: 'fully',
    status: 'requested',
    note: null,
    createdAt: '2026-12-02T10:00:00.000Z',
    returnCourier: 'innoship',
    returnAwb: '1ONBRT990001',
    moneyBack: null,
    moneyBackRef: null,
    moneyBackError: null,
    lines: [],
    receipt: null,
    creditNote: null,
    can: { manage: true, receive: true },
    ...over,
  });
  const render = async (lang: 'ro' | 'en', v: ReturnDetailView) => String(await returnDetailScreen({ lang, t: translator(lang), user, active: 'returns' }, user, returnWords(lang), v));

  it.each([
    ['ro', 'Retur prin locker: 157', 'PIN locker (de trimis clientului)'],
    ['en', 'Locker return: 157', 'Locker PIN (send it to the customer)'],
  ] as const)('%s: the locker and its PIN', async (lang, locker, pin) => {
    const out = await render(lang, view({ returnLockerId: '157', returnLockerPin: '482913' }));
    expect(out).toContain(locker);
    expect(out).toContain(`${pin}: <strong data-return-locker-pin="482913">482913</strong>`);
  });

  it('a locker without a PIN (FAN) shows the locker alone; another return AWB shows no locker', async () => {
    const fan = await render('en', view({ returnLockerId: '204', returnLockerPin: null }));
    expect(fan).toContain('data-return-locker="204"');
    expect(fan).not.toContain('data-return-locker-pin');
    expect(await render('en', view({ returnCourier: 'cargus', returnAwb: '1100' }))).not.toContain('data-return-locker');
  });
});
