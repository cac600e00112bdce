// Prometheus metrics per method and status code, named like go-grpc-prometheus so the usual dashboards fit.
import type { ServerInterceptor } from '@grpc/grpc-js';
import { Counter, Histogram, type Registry } from 'prom-client';
import { statusName } from '../../errors';
import { splitPath } from '../paths';
import { onCallEnd } from './call-end';

/** SERVER_METRICS names the series: calls handled (errors are the non-OK codes) and their duration. */
export const SERVER_METRICS = {
  handled: 'grpc_server_handled_total',
  duration: 'grpc_server_handling_seconds',
} as const;

const LABELS = ['grpc_service', 'grpc_method', 'grpc_code'] as const;

/** metricsInterceptor counts every call by method and code and observes its duration, on the service's registry. */
export function metricsInterceptor(registry: Registry): ServerInterceptor {
  const handled =
    (registry.getSingleMetric(SERVER_METRICS.handled) as Counter<(typeof LABELS)[number]> | undefined) ??
    new Counter({
      name: SERVER_METRICS.handled,
      help: 'gRPC calls completed on the server, by method and status code (errors: grpc_code != "OK").',
      labelNames: LABELS,
      registers: [registry],
    });
  const duration =
    (registry.getSingleMetric(SERVER_METRICS.duration) as Histogram<(typeof LABELS)[number]> | undefined) ??
    new Histogram({
      name: SERVER_METRICS.duration,
      help: 'Time from the call arriving to its status being sent, in seconds.',
      labelNames: LABELS,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  return onCallEnd(({ path, code, seconds }) => {
    const { service, method } = splitPath(path);
    const labels = { grpc_service: service, grpc_method: method, grpc_code: statusName(code) };
    handled.inc(labels);
    duration.observe(labels, seconds);
  });
}
