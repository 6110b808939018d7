import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { accepted, rejected, type WebhookOutcome } from '../contracts/webhook.ts';
import { tooLargeResponse, webhookResponse } from './errors.ts';

const answer = async (outcome: WebhookOutcome) => {
  const app = new Hono().post('/', (c) => webhookResponse(c, outcome));
  const res = await app.request('/', { method: 'POST' });
  return { status: res.status, body: await res.json() };
};

describe('webhook outcomes as HTTP answers', () => {
  it.each([
    ['unauthenticated', 401, 'UNAUTHORIZED'],
    ['invalid', 400, 'VALIDATION'],
    ['not_found', 404, 'NOT_FOUND'],
  ] as const)('a rejection for %s answers %i with the %s error body', async (reason, status, code) => {
    const details = [{ path: 'X-Signature', reason: 'missing' }];
    expect(await answer(rejected(reason, 'The webhook has no signature.', details))).toEqual({ status, body: { error: { code, message: 'The webhook has no signature.', details } } });
  });

  it('an accepted delivery (stored, duplicate or ignored) answers 200 with what was done', async () => {
    expect(await answer(accepted({ outcome: 'duplicate' }))).toEqual({ status: 200, body: { outcome: 'duplicate' } });
  });

  it('a body over the limit answers 413 and closes the connection', async () => {
    const app = new Hono().post('/', (c) => tooLargeResponse(c, 'The webhook body is larger than 1 MB.', '1 MB'));
    const res = await app.request('/', { method: 'POST' });
    expect(res.status).toBe(413);
    expect(res.headers.get('connection')).toBe('close');
    expect(await res.json()).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'The webhook body is larger than 1 MB.', details: [{ path: 'body', reason: 'over 1 MB' }] } });
  });
});
