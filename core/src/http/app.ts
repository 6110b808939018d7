import { OpenAPIHono } from '@hono/zod-openapi';
import { type Context, Hono, type Env as HonoEnv } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Deps } from '../shared/deps.ts';
import type { Env } from './env.ts';
import { errorBody, onError, refuseUnstorableText, tooLargeResponse, validationResponse } from './errors.ts';
import { apiRouter } from './routes/api.ts';
import { courierWebhookRouter } from './routes/courier-webhooks.ts';
import { installationsRouter } from './routes/installations.ts';
import { webhookRouter } from './routes/webhooks.ts';
import { intakeMaxInFlightFromEnv } from './intake-cap.ts';
import { setupApiRouter } from './routes/setup.ts';
import { extensionCors, extensionOriginsFromEnv } from './extension-cors.ts';


export const MAX_BODY_BYTES = 1024 * 1024;

export interface AppOptions {
  /** Webhook intakes in flight at once before an early 503 + Retry-After (0: no cap); EXPEDIO_INTAKE_MAX_IN_FLIGHT, else 256. */
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
  /** Browser origins allowed to call /api (the admin UI extensions'); EXPEDIO_EXTENSION_ORIGINS, else Shopify's extension CDN. */
  extensionOrigins?: readonly string[];
}

const notFound = (c: Context) => c.json(errorBody('NOT_FOUND', `No route for ${c.req.method} ${c.req.path}.`, [{ path: 'path', reason: 'unknown route' }]), 404);

/**
 * Mounts at `base` a router built at its first request, as `app.route(base, router)` would mount it
 * at once. The HTML pages (warehouse UI, setup, ANAF callback) with their screens, dictionaries and
 * assets are not on the intake path: loaded at start they held MiB of the core's idle RSS.
 */
function lazyRoute<E extends HonoEnv>(app: Hono<Env>, base: string, load: () => Promise<Hono<E>>): void {
  let built: Promise<Hono> | null = null;
  const handler = (c: Context<Env>) => {
    built ??= load().then(
      (router) => new Hono().onError(onError).notFound(notFound).route(base, router),
      (err: unknown) => {
        built = null; // a failed import is tried again at the next request
        throw err;
      },
    );
    return built.then((h) => h.fetch(c.req.raw, c.env));
  };
  app.all(base, handler);
  app.all(`${base}/*`, handler);
}

export function createApp(deps: Deps, options: AppOptions = {}) {
  const app = new OpenAPIHono<Env>({ defaultHook: (r, c) => (r.success ? undefined : validationResponse(c, r.error, r.target)) });
  app.onError(onError);
  app.notFound(notFound);
  app.use('/api/*', extensionCors(options.extensionOrigins ?? extensionOriginsFromEnv()));
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
  lazyRoute(app, '/setup', async () => (await import('./warehouse-ui/setup-ui.ts')).setupUi(deps, options.setupCode ?? null));
  lazyRoute(app, '/invoicing/anaf', async () => (await import('./anaf-callback.ts')).anafCallbackRouter(deps));
  lazyRoute(app, '/warehouse', async () => (await import('./warehouse-ui/warehouse-ui.ts')).warehouseUi(deps));
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Expedio core API', version: '1.0.0', description: 'Orders, validation and stock reservation. Bearer: an API key or the embedded Shopify app session token.' },
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  return app;
}
