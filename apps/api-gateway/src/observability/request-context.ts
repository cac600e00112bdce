// One incoming HTTP request as the rest of the gateway sees it: its request id, its deadline and its trace context.
// Each request gets the framework's own RequestContext (the one a gRPC service builds per call), and route handlers
// run inside it (AsyncLocalStorage through OpenTelemetry): the framework clients read the request id and the deadline
// from there by themselves, so every downstream call carries the x-request-id and traceparent and none outlives the
// route's deadline, with no wrapper around the clients.
import {
  type Logger,
  installTracing,
  newRequestContext,
  REQUEST_ID_KEY,
  startServerSpan,
} from '@blog/framework/core';
import { Metadata } from '@grpc/grpc-js';
import {
  type Context,
  type Span,
  ROOT_CONTEXT,
  context,
  createContextKey,
  isSpanContextValid,
  propagation,
  trace,
} from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest, RouteHandlerMethod } from 'fastify';

/** GatewayRequest is the context of one request. */
export interface GatewayRequest {
  readonly requestId: string;
  /** deadline in epoch milliseconds: every downstream call of the request ends by then. */
  readonly deadline: number;
  readonly traceContext: Context;
  readonly span: Span;
  /** ownSpan: the gateway started the span (no HTTP instrumentation span to use) and ends it. */
  readonly ownSpan: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** gateway is set by the first onRequest hook. */
    gateway: GatewayRequest | null;
  }
  interface FastifyContextConfig {
    /** deadlineMs bounds all downstream work of the route (default: the app's defaultDeadlineMs). */
    deadlineMs?: number;
  }
}

const REQUEST_KEY = createContextKey('blog.gateway.request');
const MAX_REQUEST_ID_LENGTH = 200;

/** requestIdOf keeps a client's X-Request-Id when it is sane, else makes one. */
export function requestIdOf(header: string | string[] | undefined, generate: () => string): string {
  const sent = Array.isArray(header) ? header[0] : header;
  return sent && sent.length <= MAX_REQUEST_ID_LENGTH && /^[\x21-\x7e]+$/.test(sent) ? sent : generate();
}

/** registerRequestContext adds the hooks that open and close a request's context, and runs handlers inside it. */
export function registerRequestContext(app: FastifyInstance, options: { defaultDeadlineMs: number }): void {
  installTracing();
  app.decorateRequest('gateway', null);
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    const route = request.routeOptions.url ?? 'unmatched';
    // One span per hop: the HTTP instrumentation (@blog/framework/instrument) already opened the request's server
    // span, continuing the client's traceparent, and made it active; the gateway names it after the route. Without
    // an SDK (tests, export off) the gateway starts its own, as before.
    const instrumented = trace.getSpan(context.active());
    const ownSpan = !instrumented?.isRecording();
    let span: Span;
    let spanContext: Context;
    if (instrumented && !ownSpan) {
      span = instrumented;
      span.updateName(`${request.method} ${route}`);
      span.setAttribute('http.route', route);
      spanContext = context.active();
    } else {
      const parent = propagation.extract(ROOT_CONTEXT, request.headers);
      ({ span, context: spanContext } = startServerSpan(`${request.method} ${route}`, parent, {
        'http.request.method': request.method,
        'http.route': route,
      }));
    }
    // The W3C traceparent of the gateway's span, written directly (the propagator's inject builds a carrier to the
    // same end, at several times the cost).
    const { traceId, spanId, traceFlags } = span.spanContext();
    if (isSpanContextValid(span.spanContext())) {
      reply.header(
        'traceparent',
        `00-${traceId}-${spanId}-${(traceFlags & 0xff).toString(16).padStart(2, '0')}`,
      );
    }
    request.log = reply.log = request.log.child({ traceId, spanId });
    const deadlineMs = request.routeOptions.config.deadlineMs ?? options.defaultDeadlineMs;
    const deadline = Date.now() + deadlineMs;
    const metadata = new Metadata();
    metadata.set(REQUEST_ID_KEY, request.id);
    // The framework's request context: downstream clients take the request id and the deadline from it.
    const framework = newRequestContext({
      method: `${request.method} ${route}`,
      metadata,
      deadline,
      logger: request.log as unknown as Logger,
      traceContext: spanContext,
    });
    const gateway: GatewayRequest = {
      requestId: request.id,
      deadline,
      span,
      ownSpan,
      traceContext: ROOT_CONTEXT,
    };
    request.gateway = { ...gateway, traceContext: framework.traceContext.setValue(REQUEST_KEY, gateway) };
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    request.gateway?.span.setAttribute('http.response.status_code', reply.statusCode);
    // The instrumentation's span ends when the response does; ending it here would cut it short.
    if (request.gateway?.ownSpan) request.gateway.span.end();
    done();
  });
  app.addHook('onRoute', (route) => {
    const handler = route.handler as RouteHandlerMethod;
    route.handler = function (this: FastifyInstance, request, reply) {
      return runInRequest(request, () => handler.call(this, request, reply));
    };
  });
}

/** runInRequest runs fn with the request's context active (hooks that call downstream use it). */
export function runInRequest<T>(request: FastifyRequest, fn: () => T): T {
  return request.gateway ? context.with(request.gateway.traceContext, fn) : fn();
}
