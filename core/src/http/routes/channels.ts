import { z } from '@hono/zod-openapi';
import { getChannelSettings, listChannels, registerWebhookSecret, listSyncLog, updateChannelSettings } from '../../channels/index.ts';
import { ChannelSettingsPatchSchema, ChannelSettingsSchema } from '../../contracts/channel-settings.ts';
import { syncChannel } from '../../flows/index.ts';
import type { Deps } from '../../shared/deps.ts';
import { DomainError } from '../../shared/domain-error.ts';
import { createApiRouter, errors, Id, IdParam, json, jsonBody, route, scopeChannel, tenantOf } from '../openapi.ts';

/** A channel-bound Shopify session reaches only its own channel's settings. */
const ownChannelOnly = { 403: { description: "Another channel than the session's shop", content: errors[401].content } } as const;

const SYNC_OUTCOMES = ['ok', 'duplicate', 'stale', 'ignored', 'rejected', 'error'] as const;

/** The tenant's store channels, their manual sync and webhook secret, and the sync log. */
export function channelsRouter(deps: Deps) {
  const api = createApiRouter();

  api.openapi(
    route('get', '/channels', {
      responses: { 200: json(z.object({ channels: z.array(z.object({ id: z.string(), kind: z.string(), status: z.string() }).passthrough()) }), 'Channels of the tenant'), ...errors },
    }),
    async (c) => {
      const own = c.get('principal').channelId;
      const channels = (await listChannels(deps.sql, tenantOf(c))).filter((ch) => !own || ch.id === own);
      return c.json({ channels: channels.map(({ syncCursor: _s, ...ch }) => ch) }, 200);
    },
  );

  api.openapi(
    route('post', '/channels/{id}/sync', {
      summary: 'Pull orders changed in the store since the last sync, now',
      request: { params: IdParam },
      responses: { 200: json(z.object({ channelId: z.string() }).passthrough(), 'What the sync run did'), ...errors },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      scopeChannel(c, id);
      const result = await syncChannel(deps, tenantOf(c), id, { trigger: 'manual_sync' });
      if (result.skipped) throw new DomainError('CONFLICT', `Channel ${id} is being synced right now; try again when that run ends.`, [{ path: 'id', reason: 'sync in progress' }]);
      return c.json(result, 200);
    },
  );

  api.openapi(
    route('get', '/channels/{id}/settings', {
      summary: "The channel's settings: status mapping both ways, price list, warehouse, invoicing, approval, sync, notifications",
      request: { params: IdParam },
      responses: { 200: json(ChannelSettingsSchema, 'The settings; secrets only as whether they are set'), ...ownChannelOnly, ...errors },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      scopeChannel(c, id);
      return c.json(await getChannelSettings(deps.sql, tenantOf(c), id), 200);
    },
  );

  api.openapi(
    route('patch', '/channels/{id}/settings', {
      summary: 'Change some of the channel settings: only the given keys are written; null clears an optional value',
      request: { params: IdParam, body: jsonBody(ChannelSettingsPatchSchema) },
      responses: { 200: json(ChannelSettingsSchema, 'The settings after the change'), ...ownChannelOnly, ...errors },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      scopeChannel(c, id);
      return c.json(await updateChannelSettings(deps.sql, deps.box, tenantOf(c), id, c.req.valid('json')), 200);
    },
  );

  api.openapi(
    route('put', '/channels/{id}/webhook-secret', {
      summary: 'Register the secret the WooCommerce plugin signs its webhooks with',
      request: { params: IdParam, body: jsonBody(z.object({ secret: z.string().min(16).max(200) })) },
      responses: { 204: { description: 'Stored (encrypted)' }, ...errors },
    }),
    async (c) => {
      // A Shopify session token speaks for its own shop only: it must not re-key another channel's webhooks.
      scopeChannel(c, c.req.valid('param').id);
      await registerWebhookSecret(deps.sql, deps.box, tenantOf(c), c.req.valid('param').id, c.req.valid('json').secret);
      return c.body(null, 204);
    },
  );

  api.openapi(
    route('get', '/sync-log', {
      request: {
        query: z.object({
          channelId: Id.optional(),
          outcome: z.enum(SYNC_OUTCOMES).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
          before: Id.optional(),
        }),
      },
      responses: { 200: json(z.object({ entries: z.array(z.object({ id: z.string() }).passthrough()) }), 'Inbound and outbound sync events, newest first'), ...errors },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const channelId = scopeChannel(c, q.channelId);
      const entries = await listSyncLog(deps.sql, tenantOf(c), {
        limit: q.limit,
        ...(channelId ? { channelId } : {}),
        ...(q.outcome ? { outcome: q.outcome } : {}),
        ...(q.before ? { before: q.before } : {}),
      });
      return c.json({ entries }, 200);
    },
  );

  return api;
}
