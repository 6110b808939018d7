import type { Context, Next } from 'hono';
import { errorBody } from './errors.ts';

/** Intakes one process runs at once when EXPEDIO_INTAKE_MAX_IN_FLIGHT is not set (0 turns the cap off). */
export const DEFAULT_INTAKE_MAX_IN_FLIGHT = 256;

/** EXPEDIO_INTAKE_MAX_IN_FLIGHT as a cap: a whole number ≥ 0; anything else is refused at start-up, naming the variable. */
export function intakeMaxInFlightFromEnv(env: Record<string, string | undefined> = process.env): number {
  const raw = env.EXPEDIO_INTAKE_MAX_IN_FLIGHT?.trim();
  if (!raw) return DEFAULT_INTAKE_MAX_IN_FLIGHT;
  if (!/^\d{1,9}$/.test(raw)) throw new Error(`EXPEDIO_INTAKE_MAX_IN_FLIGHT must be a whole number (0: no cap), not "${raw}".`);
  return Number(raw);
}

/**
 * At most `max` webhook intakes in flight in this process; the next one is answered 503 with
 * Retry-After at once, before its body is read, so the store retries it later instead of waiting
 * past its timeout (Shopify cuts at 5 s) behind a queue for database connections. Nothing is
 * written for a deferred delivery: it has not been taken, and its retry is logged as usual.
 */
export function intakeCap(max: number, retryAfterSeconds = 1) {
  let inFlight = 0;
  return async (c: Context, next: Next) => {
    if (max > 0 && inFlight >= max) {
      return c.json(
        errorBody('RATE_LIMITED', `The core is taking in ${inFlight} webhooks already; retry in ${retryAfterSeconds} s.`, [
          { path: 'request', reason: `over EXPEDIO_INTAKE_MAX_IN_FLIGHT (${max}) intakes in flight` },
        ]),
        503,
        { 'Retry-After': String(retryAfterSeconds) },
      );
    }
    inFlight++;
    try {
      await next();
    } finally {
      inFlight--;
    }
  };
}
