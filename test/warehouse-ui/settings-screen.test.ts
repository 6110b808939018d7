import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAnaf, startFakeAnaf } from '../fakes/anaf/fake-anaf.ts';
import { type FakeSameday, startFakeSameday } from '../fakes/couriers/sameday/fake-sameday.ts';
import { type CoreHarness, startCore } from '../support/core-harness.ts';
import { ARTIFACTS, launchChromium, phoneContext } from './ui-support.ts';

const SETUP_CODE = 'UI-SETUP-CODE-4242-ABCD';
let core: CoreHarness;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let sameday: FakeSameday;
let anaf: FakeAnaf;
let smtp: SMTPServer;
let smtpPort = 0;

beforeAll(async () => {
  core = await startCore({ setupCode: SETUP_CODE });
  chromium = await launchChromium();
  sameday = await startFakeSameday();
  anaf = await startFakeAnaf();
  smtp = new SMTPServer({
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    onAuth: (a, _s, cb) => (a.username === 'mail-user' && a.password === 'mail password 1' ? cb(null, { user: a.username }) : cb(new Error('Bad login'))),
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  smtpPort = (smtp.server.address() as { port: number }).port;
});
afterAll(async () => {
  await chromium?.close();
  await sameday?.close();
  await anaf?.close();
  await new Promise<void>((r) => smtp.close(() => r()));
});

describe('first-run setup and the settings screen in Chromium', () => {
  it('sets up an empty install from /setup, then configures a channel, a courier account, the invoicing profile, SMTP, an exchange rate and ANAF from /warehouse/settings', async () => {
    const context = await phoneContext(chromium.browser);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => (m.type() === 'error' ? errors.push(m.text()) : undefined));

    // --- First-run setup --------------------------------------------------------------------------
    await page.goto(`${core.url}/setup?lang=en`);
    expect(await page.locator('h1').textContent()).toBe('First-run setup');
    await page.fill('#setupCode', 'WRONG-CODE-0000');
    await page.fill('#tenantName', 'Magazin Exemplu SRL');
    await page.fill('#operatorName', 'Ana Popescu');
    await page.fill('#email', 'ana@magazin.test');
    await page.fill('#password', 'parola lunga 123');
    await page.click('button[type=submit]');
    expect(await page.locator('[data-error-for], .field-error').first().textContent()).toBe('does not match');
    await page.screenshot({ path: `${ARTIFACTS}setup-wrong-code.png`, fullPage: true });
    await page.fill('#setupCode', SETUP_CODE.toLowerCase());
    await page.fill('#password', 'parola lunga 123');
    await page.click('button[type=submit]');
    await page.locator('[data-result="set-up"]').waitFor();
    const apiKey = await page.locator('[data-api-key]').inputValue();
    expect(apiKey).toMatch(/^exp_/);
    await page.screenshot({ path: `${ARTIFACTS}setup-done.png`, fullPage: true });
    const [tenant] = await core.sql<{ id: string }[]>`select id::text from tenants`;
    const tenantId = tenant!.id;
    // A channel to configure (connecting a store is another screen's job).
    const [ch] = await core.sql<{ id: string }[]>`insert into channels (tenant_id, kind, name) values (${tenantId}, 'manual', 'Comenzi telefonice') returning id::text`;
    const channelId = ch!.id;

    // The session from setup reaches the settings screen, linked from the tab bar.
    await page.click('a[href="/warehouse/settings"]');
    await page.waitForURL(`${core.url}/warehouse/settings`);
    expect(await page.locator('nav.tabs a.on').textContent()).toBe('Settings');

    // --- Invoicing profile: Bucharest without its sector is refused next to the city field ---------
    await page.fill('#profile-legalName', 'Magazin Exemplu SRL');
    await page.fill('#profile-cui', '13548146');
    await page.fill('#profile-street', 'Str. Ștefan cel Mare nr. 10');
    await page.fill('#profile-city', 'București');
    await page.fill('#profile-countyCode', 'B');
    await page.click('#invoicing-profile button[type=submit]');
    await page.locator('#invoicing-profile [data-error-for="city"]').waitFor();
    expect(await page.locator('#invoicing-profile [data-error-for="city"]').textContent()).toContain('names its sector');
    expect(await page.locator('#profile-city').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#profile-legalName').inputValue()).toBe('Magazin Exemplu SRL');
    await page.locator('#invoicing-profile').screenshot({ path: `${ARTIFACTS}settings-profile-error.png` });
    await page.fill('#profile-city', 'București Sector 1');
    await page.click('#invoicing-profile button[type=submit]');
    await page.waitForURL(/saved=profile/);
    expect((await core.api('/api/v1/invoicing/profile', { key: apiKey })).body).toMatchObject({ city: 'București Sector 1', countyCode: 'B' });

    // --- Channel settings: a bad invoice series is shown next to its field; a good patch is saved ---
    const card = `#channel-${channelId}`;
    await page.selectOption(`#channel-${channelId}-createInvoice`, 'on_paid');
    await page.fill(`#channel-${channelId}-invoiceSeries`, 'EX-1');
    await page.fill(`#channel-${channelId}-returnWindowDays`, '14');
    await page.check(`#channel-${channelId}-approvalRequired`);
    await page.fill(`#channel-${channelId}-approvalMinTotal`, '750.00');
    await page.fill(`#channel-${channelId}-notifications-email-from`, 'Magazin <comenzi@magazin.test>');
    await page.click(`${card} button[type=submit]`);
    await page.locator(`${card} [data-error-for="invoiceSeries"]`).waitFor();
    expect(await page.locator(`${card} [data-error-for="invoiceSeries"]`).textContent()).toBe('must be 1–10 letters or digits');
    await page.fill(`#channel-${channelId}-invoiceSeries`, 'EXT');
    await page.click(`${card} button[type=submit]`);
    await page.waitForURL(/saved=channel/);
    const settings = (await core.api(`/api/v1/channels/${channelId}/settings`, { key: apiKey })).body;
    expect(settings).toMatchObject({ createInvoice: 'on_paid', invoiceSeries: 'EXT', returnWindowDays: 14, approvalRequired: true, approvalMinTotal: '750.00' });
    expect(settings.notifications.email.from).toBe('Magazin <comenzi@magazin.test>');

    // --- Courier account with its pickup point; test the credentials; list the services -------------
    await page.selectOption('#courier-new-courier', 'sameday');
    await page.fill('#courier-new-name', 'Sameday');
    await page.fill('#courier-new-credentials-username', 'sameday-user');
    await page.fill('#courier-new-credentials-password', 'sameday-pass');
    await page.fill('#courier-new-settings', 'pickupPointId = 1234');
    await page.fill('#courier-new-baseUrl', sameday.url);
    await page.fill('#courier-new-defaultService', '7');
    await page.fill('#courier-new-senderAddress-name', 'Depozit Cluj');
    await page.fill('#courier-new-senderAddress-phone', '0740123456');
    await page.fill('#courier-new-senderAddress-county', 'Transilvania');
    await page.fill('#courier-new-senderAddress-locality', 'Cluj-Napoca');
    await page.fill('#courier-new-senderAddress-addressLine', 'Str. Fabricii 12');
    await page.click('#couriers form[action="/warehouse/settings/courier-accounts"] button[type=submit]');
    await page.locator('#couriers [data-error-for="senderAddress.county"]').waitFor();
    expect(await page.locator('#couriers [data-error-for="senderAddress.county"]').textContent()).toContain('is not a Romanian county');
    await page.fill('#courier-new-senderAddress-county', 'Cluj');
    // Secrets are never typed back into the page: the password is entered again.
    await page.fill('#courier-new-credentials-password', 'sameday-pass');
    await page.click('#couriers form[action="/warehouse/settings/courier-accounts"] button[type=submit]');
    await page.waitForURL(/saved=courier-new/);
    const account = page.locator('[data-courier-account]').first();
    expect(await account.textContent()).toContain('Depozit Cluj, Cluj-Napoca, Cluj');
    await account.locator('button', { hasText: 'Test' }).click();
    await page.locator('[data-courier-test="ok"]').waitFor();
    expect(await page.locator('[data-courier-test]').textContent()).toContain('Sameday: the credentials are accepted (login)');
    await page.locator('[data-courier-account] a', { hasText: 'Services' }).first().click();
    await page.locator('[data-services-of]').waitFor();
    expect(await page.locator('[data-services-of]').textContent()).toContain('24H (24)');
    expect(await page.locator('[data-services-of] .pill').textContent()).toBe('default');

    // --- SMTP: saved (password sealed), then the login tested against the real server --------------
    await page.fill('#smtp-host', '127.0.0.1');
    await page.fill('#smtp-port', String(smtpPort));
    await page.fill('#smtp-username', 'mail-user');
    await page.fill('#smtp-password', 'mail password 1');
    await page.fill('#smtp-from', 'Magazin <comenzi@magazin.test>');
    await page.click('#smtp form[action="/warehouse/settings/smtp"] button[type=submit]');
    await page.waitForURL(/saved=smtp/);
    expect(await page.content()).not.toContain('mail password 1');
    await page.click('#smtp form[action="/warehouse/settings/smtp/test"] button[type=submit]');
    expect(await page.locator('[data-form-message="smtp"]').textContent()).toBe('The server accepted the connection and the login.');

    // --- A manual exchange rate -------------------------------------------------------------------
    await page.fill('#fx-currency', 'USD');
    await page.fill('#fx-validOn', '2026-11-30');
    await page.fill('#fx-ronPerUnit', '4,6123');
    await page.click('#fx-rates button[type=submit]');
    await page.waitForURL(/saved=fx/);
    expect(await page.locator('table.rates').textContent()).toContain('4.6123');

    // --- ANAF: the application, then Connect → ANAF → back to the redirect page ----------------------
    await page.fill('#anaf-clientId', 'expedio-app');
    await page.fill('#anaf-clientSecret', 'very-secret');
    await page.fill('#anaf-oauthBaseUrl', anaf.oauthBaseUrl);
    await page.fill('#anaf-apiBaseUrl', anaf.apiBaseUrl);
    await page.click('#anaf form[action="/warehouse/settings/anaf"] button[type=submit]');
    await page.waitForURL(/saved=anaf/);
    expect(await page.locator('[data-anaf]').getAttribute('data-anaf')).toBe('not-connected');
    await page.click('[data-anaf-connect]');
    await page.click('[data-anaf-authorize]');
    await page.waitForURL(/\/invoicing\/anaf\/callback/);
    expect(await page.locator('[data-result]').getAttribute('data-result')).toBe('connected');
    await page.screenshot({ path: `${ARTIFACTS}anaf-connected.png`, fullPage: true });
    await page.click('a[href="/warehouse/settings#anaf"]');
    expect(await page.locator('[data-anaf]').getAttribute('data-anaf')).toBe('connected');
    // The environment: production by default; switched to ANAF's test host and back, the application and token kept.
    expect(await page.locator('[data-anaf-environment]').getAttribute('data-anaf-environment')).toBe('prod');
    await page.selectOption('#anafEnvironment-environment', 'test');
    await page.click('[data-anaf-environment-save]');
    await page.waitForURL(/saved=anafEnvironment/);
    expect(await page.locator('[data-anaf-environment]').getAttribute('data-anaf-environment')).toBe('test');
    expect(await page.locator('[data-form-message="anafEnvironment"]').count()).toBe(1);
    const envOf = async () => (await core.sql`select environment, access_token_enc is not null as token from anaf_connections where tenant_id = ${tenantId}`)[0];
    expect(await envOf()).toEqual({ environment: 'test', token: true });
    await page.locator('#anaf').screenshot({ path: `${ARTIFACTS}settings-anaf-test.png` });
    await page.selectOption('#anafEnvironment-environment', 'prod');
    await page.click('[data-anaf-environment-save]');
    await page.waitForURL(/saved=anafEnvironment/);
    expect(await envOf()).toEqual({ environment: 'prod', token: true });
    expect(await page.locator('[data-anaf]').getAttribute('data-anaf')).toBe('connected');

    await page.goto(`${core.url}/warehouse/settings?lang=ro`);
    expect(await page.locator('h1').textContent()).toBe('Setări');
    await page.screenshot({ path: `${ARTIFACTS}settings-ro.png`, fullPage: true });
    for (const part of ['channels', 'couriers', 'invoicing-profile', 'anaf', 'smtp', 'fx-rates']) await page.locator(`#${part}`).screenshot({ path: `${ARTIFACTS}settings-${part}.png` });
    // Phone-sized: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // The four refused forms above answer 403/400, which Chromium logs; nothing else may fail.
    expect(errors.filter((e) => !/Failed to load resource: the server responded with a status of 40[03]/.test(e))).toEqual([]);

    // --- The operator from setup logs in again with the e-mail and password ------------------------
    await page.click('form.logout button');
    await page.waitForURL(/\/warehouse\/login/);
    await page.fill('#email', 'ana@magazin.test');
    await page.fill('#password', 'parola lunga 123');
    await page.click('button[type=submit]');
    await page.waitForURL(`${core.url}/warehouse/pick-lists`);
    await context.close();
  });

  it('the settings screen is for managers only', async () => {
    const [tenant] = await core.sql<{ id: string }[]>`select id::text from tenants`;
    const { addUser } = await import('./ui-support.ts');
    const picker = await addUser(core, tenant!.id, 'picker@magazin.test', 'warehouse');
    const context = await phoneContext(chromium.browser);
    const page = await context.newPage();
    await page.goto(`${core.url}/warehouse/login`);
    await page.fill('#email', picker.email);
    await page.fill('#password', picker.password);
    await page.click('button[type=submit]');
    await page.waitForURL(`${core.url}/warehouse/pick-lists`);
    expect(await page.locator('nav.tabs a[href="/warehouse/settings"]').count()).toBe(0);
    const res = await page.goto(`${core.url}/warehouse/settings`);
    expect(res!.status()).toBe(403);
    await context.close();
  });
});
