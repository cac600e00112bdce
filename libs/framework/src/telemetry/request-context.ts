// The context of one incoming call: request id, trace ids, rpc method, a logger carrying them, and an AbortSignal
// that fires when the caller cancels or the deadline passes. It rides inside the active OpenTelemetry context,
// so one AsyncLocalStorage carries both and anything on the handler's async path can reach them.
import { randomUUID } from 'node:crypto';
import type { Metadata } from '@grpc/grpc-js';
import { context, createContextKey, trace, type Context } from '@opentelemetry/api';
import type { Logger } from './logger';
import { withLogFields } from './log-context';
import { injectTraceContext, installTracing } from './tracing';

/** REQUEST_ID_KEY is the metadata key (and HTTP header) of the request id. */
export const REQUEST_ID_KEY = 'x-request-id';

/** RequestContext is what a handler knows about the call it serves. */
export interface RequestContext {
  /** requestId comes from the caller's x-request-id, or is generated. */
  readonly requestId: string;
  /** method is the full gRPC path, e.g. "/blog.user.v1.UserService/GetUser". */
  readonly method: string;
  readonly traceId: string;
  readonly spanId: string;
  /** logger is the service logger with requestId, traceId, spanId and method on every line. */
  readonly logger: Logger;
  /** signal aborts when the caller cancels or the deadline passes: stop work that is no longer awaited. */
  readonly signal: AbortSignal;
  /** deadline is the epoch milliseconds by which the answer is due (Infinity for none). */
  readonly deadline: number;
  /** metadata is the incoming metadata (with x-request-id set). */
  readonly metadata: Metadata;
  /** traceContext is the OpenTelemetry context with this call's server span active. */
  readonly traceContext: Context;
}

const REQUEST_KEY = createContextKey('blog.framework.request');
const controllers = new WeakMap<RequestContext, AbortController>();

/** NewRequest is what newRequestContext needs. */
export interface NewRequest {
  readonly method: string;
  readonly metadata: Metadata;
  readonly deadline: number;
  readonly logger: Logger;
  /** The context with the call's server span already active. */
  readonly traceContext: Context;
}

/** requestIdFrom returns the x-request-id of metadata, or a new UUID when the caller sent none. */
export function requestIdFrom(metadata: Metadata): string {
  const sent = metadata.get(REQUEST_ID_KEY)[0];
  return typeof sent === 'string' && sent.length > 0 && sent.length <= 200 ? sent : randomUUID();
}

/** newRequestContext builds the RequestContext of an incoming call and stores it inside its trace context. */
export function newRequestContext(request: NewRequest): RequestContext {
  const requestId = requestIdFrom(request.metadata);
  request.metadata.set(REQUEST_ID_KEY, requestId);
  const spanContext = trace.getSpanContext(request.traceContext);
  const traceId = spanContext?.traceId ?? '';
  const spanId = spanContext?.spanId ?? '';
  const controller = new AbortController();
  let logger: Logger | undefined;
  const ctx: Mutable<RequestContext> = {
    requestId,
    method: request.method,
    traceId,
    spanId,
    // Made on first use: most calls never log through it (the root logger's mixin adds the same fields anyway), and
    // a pino child per call was a measurable share of a fast call.
    get logger() {
      return (logger ??= request.logger.child({ requestId, traceId, spanId, method: request.method }));
    },
    signal: controller.signal,
    deadline: request.deadline,
    metadata: request.metadata,
    traceContext: request.traceContext,
  };
  // The context holds the request and the request holds the context: close the loop once both exist.
  // The service's root logger, used by handlers too, gets the same fields on lines written during the call.
  ctx.traceContext = withLogFields(request.traceContext, { requestId, traceId, spanId }).setValue(
    REQUEST_KEY,
    ctx,
  );
  controllers.set(ctx, controller);
  return ctx;
}

/** abortRequest fires the request's signal (once) with reason, e.g. a DeadlineExceededError. */
export function abortRequest(ctx: RequestContext, reason: unknown): void {
  const controller = controllers.get(ctx);
  if (controller && !controller.signal.aborted) controller.abort(reason);
}

/** runInRequest runs fn with the request (and its span) as the active context. */
export function runInRequest<T>(ctx: RequestContext, fn: () => T): T {
  installTracing();
  return context.with(ctx.traceContext, fn);
}

/** currentRequest returns the RequestContext of the call being served, if any. */
export function currentRequest(ctx: Context = context.active()): RequestContext | undefined {
  return ctx.getValue(REQUEST_KEY) as RequestContext | undefined;
}

/** propagateRequest copies what a downstream call must carry (traceparent, x-request-id) into outgoing metadata. */
export function propagateRequest(metadata: Metadata, ctx: Context = context.active()): Metadata {
  const request = currentRequest(ctx);
  if (request) metadata.set(REQUEST_ID_KEY, request.requestId);
  return injectTraceContext(metadata, ctx);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
