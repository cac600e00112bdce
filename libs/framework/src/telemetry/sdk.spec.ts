// The SDK as a service runs it: spans of a real gRPC call exported to a Zipkin collector (a real HTTP server standing
// in for Zipkin's /api/v2/spans), and, with no collector listening, a service that answers, stops without waiting and
// writes no error line.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { credentials } from '@grpc/grpc-js';
import { user } from '@blog/proto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { baseConfig } from '../config';
import { unimplemented } from '../server';
import { address, call, deferred, LogSink } from '../server/testing/clients';
import { createService, type ServiceHandle } from '../service';
import { traceExportWanted } from './sdk';

const { UserServiceService, UserServiceClient } = user;
const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  vi.restoreAllMocks();
});

async function startUser(env: Record<string, string>): Promise<{ svc: ServiceHandle; sink: LogSink }> {
  const sink = new LogSink();
  const svc = await createService({
    name: 'user',
    version: '1.2.3',
    config: baseConfig({ grpcPort: 0, adminPort: 0 }),
    env: { GRPC_HOST: '127.0.0.1', GRPC_INSECURE: 'true', ...env },
    logDestination: sink,
    services: [
      {
        definition: UserServiceService,
        implementation: {
          ...unimplemented(UserServiceService),
          getUser: async (req: { userId: string }) => ({
            user: { userId: req.userId, nickname: 'n', bio: '', createdAt: undefined, updatedAt: undefined },
          }),
        },
      },
    ],
  });
  return { svc, sink };
}

async function getUser(svc: ServiceHandle, userId: string): Promise<void> {
  const client = new UserServiceClient(address(svc.ports.grpc), credentials.createInsecure());
  try {
    const result = await call(client, client.getUser, { userId });
    expect(result.error).toBeUndefined();
  } finally {
    client.close();
  }
}

const body = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });

describe('traceExportWanted', () => {
  it('follows the standard variables: an exporter or an OTLP endpoint asks for export, none or nothing does not', () => {
    expect(traceExportWanted({})).toBe(false);
    expect(traceExportWanted({ OTEL_TRACES_EXPORTER: 'zipkin' })).toBe(true);
    expect(traceExportWanted({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(
      traceExportWanted({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }),
    ).toBe(false);
    expect(traceExportWanted({ OTEL_TRACES_EXPORTER: 'zipkin', OTEL_SDK_DISABLED: 'true' })).toBe(false);
  });
});

describe('startTelemetry in a service', () => {
  it('exports the server span of a call to Zipkin, named after the service, flushed on stop', async () => {
    const received = deferred<{
      path?: string;
      spans: { name: string; kind?: string; localEndpoint?: object }[];
    }>();
    const collector = createServer((req, res) => {
      void body(req).then((text) => {
        received.resolve({ path: req.url, spans: JSON.parse(text) });
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    closers.push(() => collector.close());
    const { port } = collector.address() as AddressInfo;

    const { svc } = await startUser({
      OTEL_TRACES_EXPORTER: 'zipkin',
      OTEL_EXPORTER_ZIPKIN_ENDPOINT: `http://127.0.0.1:${port}/api/v2/spans`,
    });
    await getUser(svc, 'u1');
    await svc.stop();

    const got = await received.promise;
    expect(got.path).toBe('/api/v2/spans');
    expect(got.spans).toContainEqual(
      expect.objectContaining({
        name: 'blog.user.v1.UserService/GetUser',
        kind: 'SERVER',
        localEndpoint: expect.objectContaining({ serviceName: 'user' }),
      }),
    );
  });

  it('with no collector listening: calls are answered, stop does not wait on it, nothing is logged as an error', async () => {
    // A port that was just free: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const stderr = vi.spyOn(process.stderr, 'write');

    const { svc, sink } = await startUser({
      OTEL_TRACES_EXPORTER: 'zipkin',
      OTEL_EXPORTER_ZIPKIN_ENDPOINT: `http://127.0.0.1:${port}/api/v2/spans`,
    });
    for (let i = 0; i < 20; i++) await getUser(svc, `u${i}`);
    await svc.stop();

    // (The one expected warning is this test's own plain-TCP server: GRPC_INSECURE=true.)
    const problems = sink.lines.filter(
      (line) =>
        (line['level'] === 'error' || line['level'] === 'warn') &&
        !String(line['msg']).startsWith('GRPC_INSECURE=true'),
    );
    expect(problems).toEqual([]);
    expect(stderr).not.toHaveBeenCalled();
  });
});
