import { z } from 'zod';

/** Our ids are Postgres bigints, passed around as decimal strings. */
const ID_PATTERN = /^\d{1,18}$/;

export const isId = (s: unknown): s is string => typeof s === 'string' && ID_PATTERN.test(s);

/** The id a request names (path, query or body). */
export const IdSchema = z.string().regex(ID_PATTERN, 'must be a numeric id');
