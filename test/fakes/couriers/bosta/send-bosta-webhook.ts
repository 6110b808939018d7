import { readCourierFixture } from '../courier-fixtures.ts';

/** Posts the fixture webhook (bosta-webhook.payload.json, with overrides) as Bosta does: JSON plus the configured custom header. */
export async function sendBostaWebhook(url: string, opts: { headerName: string; secret: string; overrides?: Record<string, unknown> }): Promise<Response> {
  const payload = { ...readCourierFixture<Record<string, unknown>>('bosta-webhook.payload.json'), ...opts.overrides };
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', [opts.headerName]: opts.secret }, body: JSON.stringify(payload) });
}
