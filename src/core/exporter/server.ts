import { type Server, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Exporter } from './exporter.ts';

export interface ListenAddress {
  host: string;
  port: number;
}

/** `127.0.0.1:9464`, `[::1]:9464`, `:9464` (all interfaces). */
export function parseListen(text: string): ListenAddress {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]*)):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || !(port >= 0 && port <= 65535)) throw new Error(`--listen ${JSON.stringify(text)} must be HOST:PORT (e.g. 127.0.0.1:9464, [::1]:9464, or :9464 for every interface)`);
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

export interface MetricsServer {
  /** The address it listens on (the port the system chose when 0 was asked). */
  address: ListenAddress;
  close(): Promise<void>;
}

/** Bounds on what one client can make the server hold or wait for. */
export interface ServerLimits {
  /** Bytes of request line and headers (Prometheus sends a few hundred). */
  maxHeaderBytes: number;
  /** Time to receive a request's headers, and the whole request. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this (Prometheus reuses its connection between scrapes). */
  keepAliveTimeoutMs: number;
  /** Requests on one connection; then it is closed and the client opens another. */
  maxRequestsPerSocket: number;
  /** Requests of one connection being answered at once (pipelining); more close the connection. */
  maxPipelined: number;
  maxConnections: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxHeaderBytes: 8192,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 65_000,
  maxRequestsPerSocket: 10_000,
  maxPipelined: 8,
  maxConnections: 256,
};

/** Serves the exporter's metrics at /metrics over HTTP; nothing else is exposed. */
export async function startMetricsServer(exporter: Exporter, listen: ListenAddress, limits: Partial<ServerLimits> = {}): Promise<MetricsServer> {
  const lim = { ...DEFAULT_LIMITS, ...limits };
  const pending = new WeakMap<Socket, number>();
  const server: Server = createServer({ maxHeaderSize: lim.maxHeaderBytes, headersTimeout: lim.headersTimeoutMs, requestTimeout: lim.requestTimeoutMs, connectionsCheckingInterval: Math.min(1000, lim.headersTimeoutMs) }, (req, res) => {
    // A client that pipelines without reading the answers gets its connection closed, not a queue.
    const socket = req.socket;
    const n = (pending.get(socket) ?? 0) + 1;
    if (n > lim.maxPipelined) {
      socket.destroy();
      return;
    }
    pending.set(socket, n);
    res.once('close', () => pending.set(socket, (pending.get(socket) ?? 1) - 1));
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/metrics') {
      exporter.scrape(req.headers.accept).then(
        ({ contentType, body }) => res.writeHead(200, { 'Content-Type': contentType }).end(req.method === 'HEAD' ? undefined : body),
        (e: unknown) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`cannot collect the metrics: ${(e as Error).message}\n`),
      );
      return;
    }
    if (path === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end('<html><head><title>VNF Lens exporter</title></head><body><h1>VNF Lens exporter</h1><p><a href="/metrics">Metrics</a></p></body></html>\n');
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found; the metrics are at /metrics\n');
  });
  server.keepAliveTimeout = lim.keepAliveTimeoutMs;
  server.maxRequestsPerSocket = lim.maxRequestsPerSocket;
  server.maxConnections = lim.maxConnections;
  // Requests past maxRequestsPerSocket on a connection that was told to close: close it.
  server.on('dropRequest', (_req, socket: Socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      const why = e.code === 'EADDRINUSE' ? 'the address is in use (another exporter?); choose another with --listen' : e.code === 'EACCES' ? 'permission denied (ports below 1024 need root)' : e.code === 'EADDRNOTAVAIL' ? 'no interface has this address' : e.message;
      reject(new Error(`cannot listen on ${listen.host}:${listen.port}: ${why}`));
    };
    server.once('error', onError);
    server.listen(listen.port, listen.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const a = server.address() as AddressInfo;
  return {
    address: { host: a.address, port: a.port },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Scrapers keep connections alive between scrapes: do not wait for them.
        server.closeAllConnections();
      }),
  };
}
