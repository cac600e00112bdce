// W3C trace context over gRPC metadata, on the OpenTelemetry API. Without an SDK (no OTEL_EXPORTER_OTLP_ENDPOINT)
// spans are not recorded, but every request still gets a trace id and span id that flow to logs, to downstream
// calls and into the outbox, so one saga can be followed across services.
import type { Metadata } from '@grpc/grpc-js';
import {
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
  type Span,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { randomSpanId, randomTraceId } from './ids';

/** TRACER_NAME is the instrumentation scope of the framework's spans. */
export const TRACER_NAME = '@blog/framework';

let installed = false;

/**
 * installTracing registers, once per process, the AsyncLocalStorage context manager (so the active context follows
 * async calls) and the W3C traceparent propagator. Everything below relies on it; createService calls it.
 */
export function installTracing(): void {
  if (installed) return;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  installed = true;
}

/** metadataGetter reads propagation headers from grpc-js Metadata. */
export const metadataGetter: TextMapGetter<Metadata> = {
  get: (carrier, key) => {
    const values = carrier.get(key).map(String);
    return values.length === 0 ? undefined : values;
  },
  keys: (carrier) => Object.keys(carrier.getMap()),
};

/** metadataSetter writes propagation headers into grpc-js Metadata. */
export const metadataSetter: TextMapSetter<Metadata> = {
  set: (carrier, key, value) => carrier.set(key, value),
};

/** extractTraceContext returns the context described by the traceparent/tracestate entries of incoming metadata. */
export function extractTraceContext(metadata: Metadata, base: Context = ROOT_CONTEXT): Context {
  installTracing();
  return propagation.extract(base, metadata, metadataGetter);
}

/** injectTraceContext writes the traceparent of ctx (the active context by default) into outgoing metadata. */
export function injectTraceContext(metadata: Metadata, ctx: Context = context.active()): Metadata {
  installTracing();
  propagation.inject(ctx, metadata, metadataSetter);
  return metadata;
}

/** currentTraceparent returns the W3C traceparent of the active context (e.g. for an outbox row), if there is one. */
export function currentTraceparent(ctx: Context = context.active()): string | undefined {
  installTracing();
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier['traceparent'];
}

/** ServerSpan is the span of one incoming call and the context that has it active. */
export interface ServerSpan {
  readonly span: Span;
  readonly context: Context;
}

/** startServerSpan starts the span of an incoming call as a child of the caller's context. */
export function startServerSpan(name: string, parent: Context, attributes: Attributes = {}): ServerSpan {
  installTracing();
  const tracer = trace.getTracer(TRACER_NAME);
  let span = tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
  if (!span.isRecording()) {
    // No SDK: keep the caller's trace (or start one) under a fresh span id rather than reusing the caller's.
    const caller = trace.getSpanContext(parent);
    const hasCaller = caller !== undefined && isSpanContextValid(caller);
    span = trace.wrapSpanContext({
      traceId: hasCaller ? caller.traceId : randomTraceId(),
      spanId: randomSpanId(),
      traceFlags: hasCaller ? caller.traceFlags : TraceFlags.NONE,
    });
  }
  return { span, context: trace.setSpan(parent, span) };
}
