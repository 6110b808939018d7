import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAnaf, startFakeAnaf } from '../fakes/anaf/fake-anaf.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';

let core: CoreHarness;
let anaf: FakeAnaf;
let t: TenantFixture;
beforeAll(async () => {
  core = await startCore();
  anaf = await startFakeAnaf();
  t = await core.createTenant();
});
afterAll(() => anaf.close());

describe('ANAF OAuth redirect page', () => {
  it("defaults the redirect URI to this core's callback, exchanges the code ANAF redirects back with, and says so in the browser's language", async () => {
    const put = await core.api('/api/v1/invoicing/anaf', { method: 'PUT', key: t.apiKey, body: JSON.stringify({ clientId: 'expedio-app', clientSecret: 'very-secret', oauthBaseUrl: anaf.oauthBaseUrl, apiBaseUrl: anaf.apiBaseUrl }) });
    expect(put.status).toBe(204);
    const before = await core.api('/api/v1/invoicing/anaf', { key: t.apiKey });
    expect(before.body).toMatchObject({ clientId: 'expedio-app', redirectUri: `${core.url}/invoicing/anaf/callback`, connectedAt: null, authorizationPending: false });
    expect(JSON.stringify(before.body)).not.toContain('very-secret');

    const start = await core.api('/api/v1/invoicing/anaf/authorize', { method: 'POST', key: t.apiKey });
    // The operator's browser: ANAF's authorize page redirects to the callback with code and state.
    const atAnaf = await fetch(start.body.url, { redirect: 'manual' });
    const callback = atAnaf.headers.get('location')!;
    expect(callback.startsWith(`${core.url}/invoicing/anaf/callback?code=`)).toBe(true);
    const page = await fetch(callback, { headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('ANAF e-Factura connected');
    expect(html).toContain('data-result="connected"');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(anaf.tokens.codeExchanges).toBe(1);
    const after = await core.api('/api/v1/invoicing/anaf', { key: t.apiKey });
    expect(after.body.connectedAt).not.toBeNull();
    expect(after.body.authorizationPending).toBe(false);

    // The same redirect again (a reload): the state is used up, nothing is exchanged twice.
    const again = await fetch(callback);
    expect(again.status).toBe(400);
    const againHtml = await again.text();
    expect(againHtml).toContain('Conectarea la ANAF nu a reușit');
    expect(againHtml).toContain('Răspunsul nu corespunde ultimei autorizări');
    expect(anaf.tokens.codeExchanges).toBe(1);
  });

  it('shows the error ANAF sent back (the operator refused, or no certificate), in Romanian by default', async () => {
    const r = await fetch(`${core.url}/invoicing/anaf/callback?error=access_denied&error_description=Certificat%20lipsa`);
    expect(r.status).toBe(400);
    const html = await r.text();
    expect(html).toContain('lang="ro"');
    expect(html).toContain('access_denied: Certificat lipsa');
    expect(html).toContain('href="/warehouse/settings#anaf"');
  });
});
