// The admin HTTP port: /healthz (liveness: the process answers), /readyz (every readiness check passes) and
// /metrics (Prometheus text). Plain node:http: three routes need no framework.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { ReadinessReport } from './health';

/** AdminServerOptions configure startAdminServer. */
export interface AdminServerOptions {
  readonly host: string;
  readonly port: number;
  readonly metrics: Registry;
  /** readiness produces the /readyz report. */
  readonly readiness: () => Promise<ReadinessReport>;
}

/** AdminServer is a running admin port. */
export interface AdminServer {
  readonly port: number;
  close(): Promise<void>;
}

/** startAdminServer listens on host:port (0 = any free port) and serves the three admin routes. */
export async function startAdminServer(options: AdminServerOptions): Promise<AdminServer> {
  const server = createServer((req, res) => {
    route(req, res, options).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, 'application/json', JSON.stringify({ error: String(error) }));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { port: (server.address() as AddressInfo).port, close: () => close(server) };
}

async function route(req: IncomingMessage, res: ServerResponse, options: AdminServerOptions): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://admin').pathname;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return send(res, 405, 'application/json', JSON.stringify({ error: 'method not allowed' }));
  }
  switch (path) {
    case '/healthz':
      return send(res, 200, 'application/json', JSON.stringify({ status: 'ok' }));
    case '/readyz': {
      const report = await options.readiness();
      const body = { status: report.ready ? 'ready' : 'not ready', checks: report.checks };
      return send(res, report.ready ? 200 : 503, 'application/json', JSON.stringify(body));
    }
    case '/metrics':
      return send(res, 200, options.metrics.contentType, await options.metrics.metrics());
    default:
      return send(res, 404, 'application/json', JSON.stringify({ error: 'not found' }));
  }
}

function send(res: ServerResponse, code: number, contentType: string, body: string): void {
  res.writeHead(code, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Probes use keep-alive: without this, close() waits for their idle sockets to time out.
    server.closeIdleConnections();
  });
}
