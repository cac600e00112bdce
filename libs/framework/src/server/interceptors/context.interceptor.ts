// Trace context and request context: the first interceptor a call meets. It extracts the caller's traceparent and
// x-request-id, starts the server span, builds the RequestContext and runs everything inward of it (the other
// interceptors and the handler) with that context active. It aborts the request's signal on cancel or expiry.
import { Metadata, ServerInterceptingCall, status, type ServerInterceptor } from '@grpc/grpc-js';
import { SpanStatusCode, type Span } from '@opentelemetry/api';
import { CancelledError, DeadlineExceededError, statusName } from '../../errors';
import { extractTraceContext, installTracing, startServerSpan, type Logger } from '../../telemetry';
import {
  abortRequest,
  newRequestContext,
  REQUEST_ID_KEY,
  runInRequest,
  type RequestContext,
} from '../../telemetry/request-context';
import { deadlineMs, splitPath } from '../paths';

/** contextInterceptor establishes the trace and request context of every call (see the file comment). */
export function contextInterceptor(logger: Logger): ServerInterceptor {
  installTracing();
  return (descriptor, call) => {
    let request: RequestContext | undefined;
    let span: Span | undefined;
    let finished = false;
    const finish = (code: status): void => {
      if (finished) return;
      finished = true;
      span?.setAttribute('rpc.grpc.status_code', code);
      if (code !== status.OK) span?.setStatus({ code: SpanStatusCode.ERROR, message: statusName(code) });
      span?.end();
    };
    const inRequest = (next: () => void): void => (request ? runInRequest(request, next) : next());

    return new ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (metadata, nextMetadata) => {
            const { service, method } = splitPath(descriptor.path);
            const server = startServerSpan(`${service}/${method}`, extractTraceContext(metadata), {
              'rpc.system': 'grpc',
              'rpc.service': service,
              'rpc.method': method,
            });
            span = server.span;
            request = newRequestContext({
              method: descriptor.path,
              metadata,
              deadline: deadlineMs(call.getDeadline()),
              logger,
              traceContext: server.context,
            });
            inRequest(() => nextMetadata(metadata));
          },
          onReceiveMessage: (message, nextMessage) => inRequest(() => nextMessage(message)),
          onReceiveHalfClose: (nextHalfClose) => inRequest(() => nextHalfClose()),
          // grpc-js reports every end of a call here, answered or not; only an unanswered one is a cancellation.
          onCancel: () => {
            if (finished || !request) return;
            const expired = Date.now() >= request.deadline;
            abortRequest(request, expired ? new DeadlineExceededError() : new CancelledError());
            finish(expired ? status.DEADLINE_EXCEEDED : status.CANCELLED);
          },
        }),
      sendStatus: (answer, next) => {
        const metadata = answer.metadata ?? new Metadata();
        if (request) metadata.set(REQUEST_ID_KEY, request.requestId);
        finish(answer.code);
        next({ ...answer, metadata });
      },
    });
  };
}
