import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealPlainSmtpUrls } from '../../core/src/invoicing/index.ts';
import { PROFILE } from '../invoicing/support.ts';
import { type CoreHarness, startCore, type TenantFixture } from '../support/core-harness.ts';

let core: CoreHarness;
let t: TenantFixture;
const before = process.env.EXPEDIO_ALLOW_PRIVATE_HOSTS;

beforeAll(async () => {
  core = await startCore();
  t = await core.createTenant();
  // As in production: the test fakes' 127.0.0.1 is refused like any private host.
  process.env.EXPEDIO_ALLOW_PRIVATE_HOSTS = '0';
});
afterAll(() => {
  if (before === undefined) delete process.env.EXPEDIO_ALLOW_PRIVATE_HOSTS;
  else process.env.EXPEDIO_ALLOW_PRIVATE_HOSTS = before;
});

const call = (method: string, path: string, body: unknown) => core.api(`/api/v1${path}`, { method, key: t.apiKey, body: JSON.stringify(body) });

describe('tenant-set outbound URLs reach only public hosts outside development and test', () => {
  it.each([
    ['courier baseUrl', 'POST', '/courier-accounts', { courier: 'sameday', name: 'S', credentials: { username: 'u', password: 'p' }, settings: { pickupPointId: 1 }, baseUrl: 'http://169.254.169.254/latest' }, 'baseUrl'],
    ['courier baseUrl (loopback)', 'POST', '/courier-accounts', { courier: 'sameday', name: 'S', credentials: { username: 'u', password: 'p' }, settings: { pickupPointId: 1 }, baseUrl: 'http://127.0.0.1:9' }, 'baseUrl'],
    ['ANAF apiBaseUrl', 'PUT', '/invoicing/anaf', { clientId: 'c', clientSecret: 's', apiBaseUrl: 'http://localhost:8080/rest' }, 'apiBaseUrl'],
    ['ANAF oauthBaseUrl', 'PUT', '/invoicing/anaf', { clientId: 'c', clientSecret: 's', oauthBaseUrl: 'http://10.0.0.1/oauth' }, 'oauthBaseUrl'],
    ['SMTP host', 'PUT', '/notifications/smtp', { host: '192.168.1.10', port: 587, from: 'Shop <shop@example.ro>' }, 'host'],
    ['invoicing profile smtpUrl', 'PUT', '/invoicing/profile', { ...PROFILE, smtpUrl: 'smtp://user:pw@[::1]:25' }, 'smtpUrl'],
  ])('%s is refused with 400 naming the field, and nothing is stored', async (_what, method, path, body, field) => {
    const res = await call(method, path, body);
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
  });

  it('the refusals stored nothing', async () => {
    expect(await core.sql`select 1 from courier_accounts where tenant_id = ${t.tenantId}`).toHaveLength(0);
    expect(await core.sql`select 1 from anaf_connections where tenant_id = ${t.tenantId}`).toHaveLength(0);
    expect(await core.sql`select 1 from smtp_settings where tenant_id = ${t.tenantId}`).toHaveLength(0);
  });
});

describe('the invoicing profile SMTP URL is sealed at rest', () => {
  it('saved through the API it is stored only sealed; a row left in clear by an older version is sealed at start-up', async () => {
    process.env.EXPEDIO_ALLOW_PRIVATE_HOSTS = '1';
    expect((await call('PUT', '/invoicing/profile', { ...PROFILE, smtpUrl: 'smtp://mailer:s3cret-pw@127.0.0.1:2525' })).status).toBe(204);
    process.env.EXPEDIO_ALLOW_PRIVATE_HOSTS = '0';
    const [row] = await core.sql<{ smtp_url: string | null; smtp_url_enc: string }[]>`select smtp_url, smtp_url_enc from invoicing_profiles where tenant_id = ${t.tenantId}`;
    expect(row!.smtp_url).toBeNull();
    expect(row!.smtp_url_enc).toMatch(/^v1\./);
    expect(row!.smtp_url_enc).not.toContain('s3cret');
    expect(core.deps.box.open(row!.smtp_url_enc)).toBe('smtp://mailer:s3cret-pw@127.0.0.1:2525');
    expect((await core.api('/api/v1/invoicing/profile', { key: t.apiKey })).body).toMatchObject({ smtpUrlSet: true });

    // As written before migration 022: in clear.
    await core.sql`update invoicing_profiles set smtp_url = 'smtp://old:plain-pw@mail.example.ro:25', smtp_url_enc = null where tenant_id = ${t.tenantId}`;
    expect(await sealPlainSmtpUrls(core.sql, core.deps.box)).toBe(1);
    const [sealed] = await core.sql<{ smtp_url: string | null; smtp_url_enc: string }[]>`select smtp_url, smtp_url_enc from invoicing_profiles where tenant_id = ${t.tenantId}`;
    expect(sealed!.smtp_url).toBeNull();
    expect(core.deps.box.open(sealed!.smtp_url_enc)).toBe('smtp://old:plain-pw@mail.example.ro:25');
    expect(await sealPlainSmtpUrls(core.sql, core.deps.box)).toBe(0);
  });
});
