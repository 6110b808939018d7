import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';

export interface ServedApp {
  /** http://host:port with the port actually bound (port 0 asks the OS for a free one). */
  url: string;
  port: number;
  /** Stops accepting connections and resolves once the open ones have ended. */
  close(): Promise<void>;
}

/** Listens with the app on host:port; resolves once bound, so a port clash fails the start. */
export function serveApp(app: { fetch: (req: Request) => Response | Promise<Response> }, options: { host: string; port: number }): Promise<ServedApp> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: options.host, port: options.port });
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      const port = (server.address() as AddressInfo).port;
      resolve({
        url: `http://${options.host}:${port}`,
        port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
