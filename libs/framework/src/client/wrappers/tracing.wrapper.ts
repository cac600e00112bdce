import { status } from '@grpc/grpc-js';
import { SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { statusOf } from '../../breaker/breaker';
import { TRACER_NAME, metadataSetter } from '../../telemetry';
import type { CallWrapper } from '../client';
import { isStreaming, type OpenStream } from '../stream';

/**
 * tracingWrapper opens one CLIENT span per logical call (retries included) and injects its W3C `traceparent` into the
 * metadata through the globally registered propagator, so the callee continues the caller's trace. A stream's span
 * ends with the stream.
 */
export function tracingWrapper(): CallWrapper {
  const tracer = trace.getTracer(TRACER_NAME);
  return (next) => async (request, ctx) => {
    const rpcService = ctx.definition.path.split('/')[1] ?? ctx.service;
    const parent = context.active();
    const span = tracer.startSpan(
      `${rpcService}/${ctx.method}`,
      {
        kind: SpanKind.CLIENT,
        attributes: { 'rpc.system': 'grpc', 'rpc.service': rpcService, 'rpc.method': ctx.method },
      },
      parent,
    );
    const active = trace.setSpan(parent, span);
    propagation.inject(active, ctx.metadata, metadataSetter);
    const end = (err?: unknown): void => {
      span.setAttribute(
        'rpc.grpc.status_code',
        err === undefined ? status.OK : (statusOf(err) ?? status.UNKNOWN),
      );
      if (err !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      span.end();
    };
    let response: unknown;
    try {
      response = await context.with(active, () => next(request, ctx));
    } catch (err) {
      end(err);
      throw err;
    }
    // A stream's span lasts until the stream ends, whichever side ends it.
    if (isStreaming(ctx)) (response as OpenStream).closed.then(() => end(), end);
    else end();
    return response;
  };
}
