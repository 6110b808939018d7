import { connect, type Socket } from 'node:net';

/**
 * A load client that costs the machine little: one kept-alive HTTP/1.1 connection per client, one
 * request in flight on it at a time (no pipelining: C connections are C requests in flight), the
 * request written as one buffer and the answer read off the socket by its status line and
 * Content-Length (or chunked body). fetch() spent about as much CPU per webhook as the core did on
 * these 2 cores, so the load generator, not the core, bounded the ingest bench.
 */
export interface HttpAnswer {
  status: number;
  retryAfter: string | null;
  body: string;
}

const HEADER_END = Buffer.from('\r\n\r\n');

export class HttpConnection {
  private socket: Socket | null = null;
  private buffered: Buffer = Buffer.alloc(0);
  private pending: { resolve: (a: HttpAnswer) => void; reject: (e: Error) => void } | null = null;
  private readonly host: string;
  private readonly port: number;

  constructor(url: string) {
    const u = new URL(url);
    this.host = u.hostname;
    this.port = Number(u.port);
  }

  private open(): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const s = connect({ host: this.host, port: this.port, noDelay: true });
      s.once('connect', () => {
        s.off('error', reject);
        s.on('error', (e) => this.fail(e));
        s.on('close', () => {
          if (this.socket === s) this.socket = null;
          this.fail(new Error('the connection was closed'));
        });
        s.on('data', (d: Buffer) => this.read(d));
        resolve(s);
      });
      s.once('error', reject);
    });
  }

  private fail(e: Error): void {
    const p = this.pending;
    this.pending = null;
    this.buffered = Buffer.alloc(0);
    p?.reject(e);
  }

  private read(d: Buffer): void {
    this.buffered = this.buffered.length === 0 ? d : Buffer.concat([this.buffered, d]);
    const end = this.buffered.indexOf(HEADER_END);
    if (end < 0 || !this.pending) return;
    const head = this.buffered.toString('latin1', 0, end);
    const status = Number(head.slice(9, 12));
    const header = (name: string) => new RegExp(`\r\n${name}:\\s*([^\r\n]*)`, 'i').exec(head)?.[1] ?? null;
    const length = header('content-length');
    let body: string;
    let used: number;
    if (length !== null) {
      used = end + 4 + Number(length);
      if (this.buffered.length < used) return;
      body = this.buffered.toString('utf8', end + 4, used);
    } else if (/chunked/i.test(header('transfer-encoding') ?? '')) {
      const last = this.buffered.indexOf('\r\n0\r\n\r\n', end + 2);
      const empty = this.buffered.indexOf('0\r\n\r\n', end + 4) === end + 4;
      if (last < 0 && !empty) return;
      used = empty ? end + 9 : last + 7;
      body = this.buffered.toString('utf8', end + 4, used);
    } else {
      used = end + 4;
      body = '';
    }
    this.buffered = this.buffered.subarray(used);
    const p = this.pending;
    this.pending = null;
    p.resolve({ status, retryAfter: header('retry-after'), body });
  }

  /** Sends one request (the head without its final blank line, then the body) and waits for its answer. */
  async request(head: string, body: Buffer): Promise<HttpAnswer> {
    if (this.pending) throw new Error('one request at a time on a connection');
    if (!this.socket) this.socket = await this.open();
    const s = this.socket;
    return new Promise<HttpAnswer>((resolve, reject) => {
      this.pending = { resolve, reject };
      s.write(Buffer.concat([Buffer.from(`${head}\r\nhost: ${this.host}:${this.port}\r\ncontent-length: ${body.length}\r\n\r\n`, 'latin1'), body]));
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = null;
  }
}
