import type { Sql } from '../db/connect.ts';
import type { SecretBox } from './secret-box.ts';

/** What domain code needs from the outside world, passed in (never imported as globals). */
export interface Deps {
  sql: Sql;
  box: SecretBox;
  now: () => Date;
  /** Builds the connector for a channel; replaced in tests to point at the fake stores. */
  fetch?: typeof fetch;
}
