// opossum-prometheus ships no types; this is the part of its API we use.
declare module 'opossum-prometheus' {
  import type CircuitBreaker from 'opossum';
  import type { Registry } from 'prom-client';

  class PrometheusMetrics {
    constructor(options?: { registry?: Registry; metricPrefix?: string; exposePerformanceMetrics?: boolean });
    add(circuits: CircuitBreaker | CircuitBreaker[]): void;
  }
  export = PrometheusMetrics;
}
