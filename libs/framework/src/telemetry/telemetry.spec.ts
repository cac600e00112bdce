import { Metadata } from '@grpc/grpc-js';
import { context, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import {
  createLogger,
  createMetricsRegistry,
  currentTraceparent,
  extractTraceContext,
  injectTraceContext,
  startServerSpan,
} from './index';
import { LogSink } from '../server/testing/clients';

const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('trace context over gRPC metadata', () => {
  it('extracts a W3C traceparent and injects it again', () => {
    const incoming = new Metadata();
    incoming.set('traceparent', traceparent);
    const ctx = extractTraceContext(incoming);
    expect(trace.getSpanContext(ctx)).toMatchObject({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
    });
    expect(injectTraceContext(new Metadata(), ctx).get('traceparent')).toEqual([traceparent]);
    expect(currentTraceparent(ctx)).toBe(traceparent);
  });

  it('ignores a malformed traceparent and then starts a new trace', () => {
    const incoming = new Metadata();
    incoming.set('traceparent', 'garbage');
    const { context: server } = startServerSpan('svc/Method', extractTraceContext(incoming));
    const span = trace.getSpanContext(server);
    expect(span?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(span?.traceId).not.toBe('00000000000000000000000000000000');
  });

  it('makes a context active for async work', async () => {
    const incoming = new Metadata();
    incoming.set('traceparent', traceparent);
    const { context: server } = startServerSpan('svc/Method', extractTraceContext(incoming));
    const seen = await context.with(server, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return currentTraceparent();
    });
    expect(seen).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(currentTraceparent()).toBeUndefined();
  });
});

describe('logger and metrics', () => {
  it('writes JSON lines with service, version, level name and ISO time', () => {
    const sink = new LogSink();
    createLogger({ service: 'user', version: '1.2.3', destination: sink }).info({ userId: 'u1' }, 'hello');
    expect(sink.lines[0]).toMatchObject({
      service: 'user',
      version: '1.2.3',
      level: 'info',
      msg: 'hello',
      userId: 'u1',
    });
    expect(String(sink.lines[0]?.['time'])).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('keeps one registry per service, labelled with its name, with the default metrics', async () => {
    const a = createMetricsRegistry('a');
    const b = createMetricsRegistry('b');
    expect(a).not.toBe(b);
    expect(await a.metrics()).toMatch(/nodejs_heap_size_used_bytes\{service="a"\}/);
  });

  it('says which build runs: service_info{version} 1 when given a version, nothing without', async () => {
    expect(await createMetricsRegistry('c', '1.2.3').metrics()).toMatch(
      /^service_info\{version="1\.2\.3",service="c"\} 1$/m,
    );
    expect(await createMetricsRegistry('d').metrics()).not.toMatch(/service_info/);
  });
});
