import type { Principal } from '../auth/index.ts';

/** What the API's middleware puts in the context: the authenticated principal (tenant, channel scope). */
export type Env = { Variables: { principal: Principal } };
