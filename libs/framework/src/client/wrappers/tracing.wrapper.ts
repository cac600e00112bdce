import { status } from '@grpc/grpc-js';
import { SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { statusOf } from '../../breaker/breaker';
import { TRACER_NAME, metadataSetter } from '../../telemetry';
import type { CallWrapper } from '../client';

/**
 * tracingWrapper opens one CLIENT span per logical call (retries included) and injects its W3C `traceparent` into the
 * metadata through the globally registered propagator, so the callee continues the caller's trace.
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
    try {
      const response = await context.with(active, () => next(request, ctx));
      span.setAttribute('rpc.grpc.status_code', status.OK);
      return response;
    } catch (err) {
      span.setAttribute('rpc.grpc.status_code', statusOf(err) ?? status.UNKNOWN);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  };
}
