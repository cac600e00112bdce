import type { ServerInterceptor } from '@grpc/grpc-js';
import type { Registry } from 'prom-client';
import type { Logger } from '../../telemetry';
import { contextInterceptor } from './context.interceptor';
import { deadlineInterceptor } from './deadline.interceptor';
import { errorInterceptor } from './error.interceptor';
import { loggingInterceptor } from './logging.interceptor';
import { metricsInterceptor } from './metrics.interceptor';

export { onCallEnd, type CallEnd } from './call-end';
export { SERVER_METRICS } from './metrics.interceptor';

/** InterceptorOptions are what the standard interceptors need. */
export interface InterceptorOptions {
  readonly logger: Logger;
  readonly metrics: Registry;
  /** The server's deadline ceiling in milliseconds (0: none). */
  readonly maxDeadlineMs: number;
  /**
   * extra are the service's own interceptors (auth checks, auditing, fault injection). They run after the standard
   * chain, next to the handler, in the order given: the request context is set, and whatever they answer or throw is
   * error-mapped, logged and counted like a handler's answer.
   */
  readonly extra?: readonly ServerInterceptor[];
}

/**
 * serverInterceptors returns the standard chain in grpc-js order, from the wire to the handler:
 *   context (trace + request id) -> logging -> metrics -> error mapping -> deadline -> [extra] -> handler.
 * Why this order: context comes first so every other interceptor and the handler see the request; logging and
 * metrics sit outside the error mapping so they record what the caller actually got; the deadline sits next to the
 * handler so that its DEADLINE_EXCEEDED is mapped, logged and counted like any other answer.
 */
export function serverInterceptors(options: InterceptorOptions): ServerInterceptor[] {
  return [
    contextInterceptor(options.logger),
    loggingInterceptor(options.logger),
    metricsInterceptor(options.metrics),
    errorInterceptor(options.logger),
    deadlineInterceptor(options.maxDeadlineMs),
    ...(options.extra ?? []),
  ];
}
