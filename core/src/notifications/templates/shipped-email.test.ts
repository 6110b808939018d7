import { describe, expect, it } from 'vitest';
import { composeShippedEmail, type ShippedEmailInput } from './shipped-email.ts';

const input: ShippedEmailInput = {
  tenantId: '1',
  shipmentId: '9',
  to: 'ana@example.test',
  customerName: 'Ana <Pop>',
  orderNumber: '#1001',
  courierName: 'Sameday',
  awb: 'AWB1',
  trackingUrl: 'https://t.example/?a=1&b=2',
  seller: 'Magazin SRL',
};

describe('composeShippedEmail', () => {
  it('writes Romanian by default, as it always has', () => {
    const m = composeShippedEmail(input);
    expect(m.subject).toBe('Comanda #1001 a fost expediată — AWB AWB1');
    expect(m.text).toBe(
      ['Bună ziua, Ana <Pop>,', '', 'Comanda #1001 a fost predată curierului Sameday.', 'AWB: AWB1', 'Urmărire colet: https://t.example/?a=1&b=2', '', 'Mulțumim,', 'Magazin SRL'].join('\n'),
    );
    expect(m.html).toBe(
      '<p>Bună ziua, Ana &lt;Pop&gt;,</p><p>Comanda <strong>#1001</strong> a fost predată curierului Sameday.</p><p>AWB: <strong>AWB1</strong></p>' +
        '<p><a href="https://t.example/?a=1&amp;b=2">Urmărire colet</a>: https://t.example/?a=1&amp;b=2</p><p>Mulțumim,<br>Magazin SRL</p>',
    );
    expect(m).toMatchObject({ to: 'ana@example.test', messageId: '<shipped-1-9@expedio.local>' });
  });

  it('writes English when asked, without a greeting name or a link when there is none', () => {
    const m = composeShippedEmail({ ...input, customerName: null, trackingUrl: null }, 'en');
    expect(m.subject).toBe('Order #1001 has shipped — AWB AWB1');
    expect(m.text).toBe(['Hello,', '', 'Order #1001 was handed to the courier Sameday.', 'AWB: AWB1', '', 'Thank you,', 'Magazin SRL'].join('\n'));
    expect(m.html).not.toContain('<a ');
  });
});
