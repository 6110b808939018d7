import { expect } from 'vitest';

/** The one-time code `npm start` (scripts/start-product.ts) prints when the install has no tenant yet. */
export function setupCodeFromOutput(stdout: string): string | null {
  return /^\s*Setup code\s+([A-Z0-9]{5}(?:-[A-Z0-9]{5}){3})\s*$/m.exec(stdout)?.[1] ?? null;
}

export interface FirstRunAnswer {
  tenantId: string;
  tenantName: string;
  userId: string;
  email: string;
  role: 'manager';
  /** Shown once: the bearer for /api/v1. */
  apiKey: string;
  loginUrl: string;
}

export const FIRST_RUN_BODY = { tenantName: 'Magazin Exemplu SRL', cui: 'RO18547290', operatorName: 'Ana Popescu', email: 'ana@magazin.test', password: 'parola lunga 123' };

/** POST /api/v1/setup on an empty install: the tenant, its manager login and an API key. */
export async function runFirstRunSetup(baseUrl: string, setupCode: string, body: Partial<typeof FIRST_RUN_BODY> = {}): Promise<FirstRunAnswer & { password: string }> {
  const b = { ...FIRST_RUN_BODY, ...body };
  const res = await fetch(`${baseUrl}/api/v1/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...b, setupCode }) });
  const answer = (await res.json()) as FirstRunAnswer;
  expect(res.status, JSON.stringify(answer)).toBe(201);
  return { ...answer, password: b.password };
}
