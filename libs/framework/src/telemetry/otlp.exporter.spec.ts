import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Metadata } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { deferred } from '../server/testing/clients';
import { extractTraceContext, startOtlpExport, startServerSpan } from './index';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

describe('startOtlpExport', () => {
  it('exports recorded spans to <endpoint>/v1/traces and flushes them on stop', async () => {
    const received = deferred<{ path?: string; contentType?: string; body: string }>();
    const collector = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.resolve({
          path: req.url,
          contentType: req.headers['content-type'],
          body: Buffer.concat(chunks).toString('latin1'),
        });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    closers.push(() => collector.close());
    const { port } = collector.address() as AddressInfo;

    const stop = startOtlpExport({
      endpoint: `http://127.0.0.1:${port}/`,
      service: 'otlp-test',
      version: '9.9.9',
    });
    const incoming = new Metadata();
    incoming.set('traceparent', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
    const { span } = startServerSpan('blog.user.v1.UserService/GetUser', extractTraceContext(incoming));
    expect(span.isRecording()).toBe(true);
    expect(span.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    span.end();
    await stop();

    const got = await received.promise;
    expect(got.path).toBe('/v1/traces');
    expect(got.body).toContain('blog.user.v1.UserService/GetUser');
    expect(got.body).toContain('otlp-test');
  });
});
