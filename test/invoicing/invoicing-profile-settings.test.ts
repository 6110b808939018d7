import { beforeAll, describe, expect, it } from 'vitest';
import { enqueue } from '../../core/src/db/outbox.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';
import { PROFILE } from './support.ts';

let core: CoreHarness;
let t: TenantFixture;
beforeAll(async () => {
  core = await startCore();
  t = await core.createTenant();
});

const put = (body: unknown) => core.api('/api/v1/invoicing/profile', { method: 'PUT', key: t.apiKey, body: JSON.stringify(body) });

describe('invoicing profile through the API', () => {
  it('queued invoices without a profile are a stall with the fix; a Bucharest address without its sector is refused naming city; GET reads the saved profile back', async () => {
    expect((await core.api('/api/v1/invoicing/profile', { key: t.apiKey })).status).toBe(404);
    // The shipping flow queues the invoice when the order ships; without a profile it cannot be issued.
    await enqueue(core.sql, t.tenantId, 'invoice.issue', { orderId: '7001', trigger: 'on_shipping' }, 'invoice.issue:7001');
    const stalls = await core.api('/api/v1/stalls?kind=invoice.profile_missing', { key: t.apiKey });
    expect(stalls.body.stalls).toEqual([
      expect.objectContaining({ kind: 'invoice.profile_missing', message: '1 invoice waits for the invoicing profile (order 7001).', fix: expect.stringContaining('/warehouse/settings') }),
    ]);

    const noSector = await put({ ...PROFILE, city: 'București', street: 'Str. Ștefan cel Mare nr. 10', postalCode: null });
    expect(noSector.status).toBe(400);
    expect(noSector.body.error.details).toEqual([{ path: 'city', reason: 'a Bucharest address names its sector (e.g. "București Sector 3", or a postal code 0S....)' }]);
    expect((await core.api('/api/v1/invoicing/profile', { key: t.apiKey })).status).toBe(404);

    expect((await put({ ...PROFILE, smtpUrl: 'smtp://user:secret@127.0.0.1:2525' })).status).toBe(204);
    const got = await core.api('/api/v1/invoicing/profile', { key: t.apiKey });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ legalName: PROFILE.legalName, cui: PROFILE.cui, city: PROFILE.city, countyCode: 'B', smtpUrlSet: true });
    expect(JSON.stringify(got.body)).not.toContain('secret');
    expect((await core.api('/api/v1/stalls?kind=invoice.profile_missing', { key: t.apiKey })).body.stalls).toEqual([]);
  });
});
