import { connect } from '../../core/src/db/index.ts';
import { createApp, serveApp } from '../../core/src/http/index.ts';
import { createSecretBox } from '../../core/src/shared/index.ts';

// The core as a separate process, so its memory and event loop are its own during the benchmark.
const sql = connect(process.env.DATABASE_URL!, { max: Number(process.env.POOL ?? 20) });
const app = createApp({ sql, box: createSecretBox(process.env.EXPEDIO_MASTER_KEY!), now: () => new Date() });
const server = await serveApp(app, { host: '127.0.0.1', port: 0 });
process.stdout.write(`PORT ${server.port}\n`);
process.on('SIGTERM', () => void server.close().then(() => sql.end()).then(() => process.exit(0)));
