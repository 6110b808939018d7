import { writeHeapSnapshot } from 'node:v8';
import { connect } from '../../core/src/db/index.ts';
import { createApp, serveApp } from '../../core/src/http/index.ts';
import { createSecretBox } from '../../core/src/shared/index.ts';

// The core as its own process (run with --expose-gc), answering the soak's memory questions over
// IPC: RSS and heap now, and after a forced full GC (what is still referenced), or a heap snapshot.
const sql = connect(process.env.DATABASE_URL!, { max: Number(process.env.POOL ?? 20) });
const app = createApp({ sql, box: createSecretBox(process.env.EXPEDIO_MASTER_KEY!), now: () => new Date() });
const server = await serveApp(app, { host: '127.0.0.1', port: 0 });
process.send!({ port: server.port });

const mib = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
const usage = () => {
  const m = process.memoryUsage();
  return { rss: mib(m.rss), heapUsed: mib(m.heapUsed), heapTotal: mib(m.heapTotal), external: mib(m.external), arrayBuffers: mib(m.arrayBuffers) };
};
process.on('message', (msg: { cmd: 'sample' | 'gc' | 'snapshot' | 'stop'; dir?: string }) => {
  if (msg.cmd === 'sample') process.send!({ sample: usage() });
  if (msg.cmd === 'gc') {
    const g = (globalThis as { gc?: () => void }).gc;
    g?.();
    g?.();
    process.send!({ sample: { ...usage(), gc: Boolean(g) } });
  }
  if (msg.cmd === 'snapshot') process.send!({ snapshot: writeHeapSnapshot(undefined, { exposeInternals: false }) });
  if (msg.cmd === 'stop') void server.close().then(() => sql.end()).then(() => process.exit(0));
});
