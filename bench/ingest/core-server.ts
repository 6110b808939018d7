import { serve } from '@hono/node-server';
import { connect } from '../../core/src/db/connect.ts';
import { createApp } from '../../core/src/http/app.ts';
import { createSecretBox } from '../../core/src/shared/secret-box.ts';

// The core as a separate process, so its memory and event loop are its own during the benchmark.
const sql = connect(process.env.DATABASE_URL!, { max: Number(process.env.POOL ?? 20) });
const app = createApp({ sql, box: createSecretBox(process.env.EXPEDIO_MASTER_KEY!), now: () => new Date() });
const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
  process.stdout.write(`PORT ${info.port}\n`);
});
process.on('SIGTERM', () => server.close(() => void sql.end().then(() => process.exit(0))));
