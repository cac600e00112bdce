import { status } from '@grpc/grpc-js';
import { Counter, Histogram, type Registry as MetricsRegistry } from 'prom-client';
import { statusOf } from '../../breaker/breaker';
import type { CallWrapper } from '../client';
import { isStreaming, type OpenStream } from '../stream';

type Labels = 'service' | 'method';

/** getOrCreate reuses a metric already registered under `name`: several clients share one service registry. */
function getOrCreate<T>(registry: MetricsRegistry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

/**
 * metricsWrapper counts calls, errors by status code and observes the duration of each logical call (retries included),
 * labelled by service and method, on the service's own registry. Fast failures of an open breaker are counted too,
 * as UNAVAILABLE: that is what the caller saw.
 */
export function metricsWrapper(registry: MetricsRegistry): CallWrapper {
  const registers = [registry];
  const calls = getOrCreate(
    registry,
    'grpc_client_calls_total',
    () =>
      new Counter<Labels>({
        name: 'grpc_client_calls_total',
        help: 'gRPC client calls',
        labelNames: ['service', 'method'],
        registers,
      }),
  );
  const errors = getOrCreate(
    registry,
    'grpc_client_errors_total',
    () =>
      new Counter<Labels | 'code'>({
        name: 'grpc_client_errors_total',
        help: 'gRPC client calls that failed, by status code',
        labelNames: ['service', 'method', 'code'],
        registers,
      }),
  );
  const duration = getOrCreate(
    registry,
    'grpc_client_duration_seconds',
    () =>
      new Histogram<Labels | 'code'>({
        name: 'grpc_client_duration_seconds',
        help: 'gRPC client call duration, retries included',
        labelNames: ['service', 'method', 'code'],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
        registers,
      }),
  );
  return (next) => async (request, ctx) => {
    const labels = { service: ctx.service, method: ctx.method };
    calls.inc(labels);
    const end = duration.startTimer(labels);
    const failed = (err: unknown): void => {
      const code = status[statusOf(err) ?? status.UNKNOWN] ?? 'UNKNOWN';
      errors.inc({ ...labels, code });
      end({ code });
    };
    let response: unknown;
    try {
      response = await next(request, ctx);
    } catch (err) {
      failed(err);
      throw err;
    }
    // A stream is one call from its start to its end: its duration and outcome are known when it closes.
    if (isStreaming(ctx))
      (response as OpenStream).closed.then(() => end({ code: status[status.OK] }), failed);
    else end({ code: status[status.OK] });
    return response;
  };
}
