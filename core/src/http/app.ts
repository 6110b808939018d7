import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { Deps } from '../shared/deps.ts';
import type { Env } from './env.ts';
import { errorBody, onError, refuseUnstorableText, tooLargeResponse, validationResponse } from './errors.ts';
import { apiRouter } from './routes/api.ts';
import { courierWebhookRouter } from './routes/courier-webhooks.ts';
import { installationsRouter } from './routes/installations.ts';
import { webhookRouter } from './routes/webhooks.ts';
import { intakeMaxInFlightFromEnv } from './intake-cap.ts';
import { warehouseUi } from './warehouse-ui/warehouse-ui.ts';
import { anafCallbackRouter } from './anaf-callback.ts';
import { setupApiRouter } from './routes/setup.ts';
import { setupUi } from './warehouse-ui/setup-ui.ts';


export const MAX_BODY_BYTES = 1024 * 1024;

export interface AppOptions {
  /** Webhook intakes in flight at once before an early 503 + Retry-After (0: no cap); EXPEDIO_INTAKE_MAX_IN_FLIGHT, else 128. */
  intakeMaxInFlight?: number;
  /**
   * False until the process is ready for traffic (migrations, worker, demo data written): a
   * script that waits for /healthz may then rely on everything `npm start` promises.
   */
  ready?: () => boolean;
  /**
   * The one-time code that allows first-run setup (POST /api/v1/setup, /setup) while no tenant
   * exists; without it setup is refused. See auth/first-run-setup.ts.
   */
  setupCode?: string | null;
}

export function createApp(deps: Deps, options: AppOptions = {}) {
  const app = new OpenAPIHono<Env>({ defaultHook: (r, c) => (r.success ? undefined : validationResponse(c, r.error, r.target)) });
  app.onError(onError);
  app.notFound((c) => c.json(errorBody('NOT_FOUND', `No route for ${c.req.method} ${c.req.path}.`, [{ path: 'path', reason: 'unknown route' }]), 404));
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => tooLargeResponse(c, 'The body is larger than 1 MB.', '1 MB'),
    }),
  );
  app.use('/api/*', refuseUnstorableText);
  app.get('/healthz', async (c) => {
    await deps.sql`select 1`;
    if (options.ready && !options.ready()) return c.json({ status: 'starting', database: 'ok' }, 503, { 'Retry-After': '1' });
    return c.json({ status: 'ok', database: 'ok' });
  });
  app.route('/webhooks/couriers', courierWebhookRouter(deps));
  app.route('/webhooks', webhookRouter(deps, { maxInFlight: options.intakeMaxInFlight ?? intakeMaxInFlightFromEnv() }));
  // Before the /api/v1 router: authenticated with the Shopify app's key, for shops not known yet.
  app.route('/api/v1', installationsRouter(deps));
  app.route('/api/v1', setupApiRouter(deps, options.setupCode ?? null)); // before the bearer-checked router: setup has no bearer yet
  app.route('/api/v1', apiRouter(deps));
  app.route('/setup', setupUi(deps, options.setupCode ?? null));
  app.route('/invoicing/anaf', anafCallbackRouter(deps));
  app.route('/warehouse', warehouseUi(deps));
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Expedio core API', version: '1.0.0', description: 'Orders, validation and stock reservation. Bearer: an API key or the embedded Shopify app session token.' },
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  return app;
}
