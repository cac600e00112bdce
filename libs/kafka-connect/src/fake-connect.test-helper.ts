// A scripted stand-in for a Kafka Connect worker, for the client's unit tests: a real HTTP server on 127.0.0.1:0
// that answers each `METHOD /path` with the next scripted reply (the last one repeats) and records every request.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Reply is one scripted HTTP answer. */
export interface Reply {
  status: number;
  body?: unknown;
}

/** RecordedRequest is one request the fake received. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}

/** FakeConnect is a running fake worker. */
export interface FakeConnect {
  url: string;
  requests: RecordedRequest[];
  /** script sets the replies of `METHOD /path` (query string ignored), answered in order. */
  script(route: string, ...replies: Reply[]): void;
  close(): Promise<void>;
}

/** startFakeConnect starts a fake worker; unscripted routes answer 404 like Connect does. */
export async function startFakeConnect(): Promise<FakeConnect> {
  const scripts = new Map<string, Reply[]>();
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const text = Buffer.concat(chunks).toString('utf8');
      requests.push({
        method: req.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        body: text ? JSON.parse(text) : undefined,
      });
      const queue = scripts.get(`${req.method} ${url.pathname}`);
      const reply = queue && queue.length > 1 ? queue.shift() : queue?.[0];
      const answer = reply ?? {
        status: 404,
        body: { error_code: 404, message: `no route ${req.method} ${url.pathname}` },
      };
      res.writeHead(answer.status, answer.body === undefined ? {} : { 'Content-Type': 'application/json' });
      res.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: (route, ...replies) => scripts.set(route, replies),
    close: () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
