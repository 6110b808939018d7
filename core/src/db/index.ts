/** Infrastructure for the processes around the core (worker, scripts, benchmarks): the pool, migrations, the outbox, embedded Postgres. */
export { connect, type Db, type Sql, type Tx } from './connect.ts';
export { startEmbeddedPostgres } from './embedded-postgres.ts';
export { migrate } from './migrate.ts';
export { dispatchOutbox, enqueue, inOneTransaction, outboxItemSubjects, runOutboxDispatcher, type OutboxContext, type OutboxHandler, type OutboxItem } from './outbox.ts';
