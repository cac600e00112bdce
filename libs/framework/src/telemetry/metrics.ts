// One prom-client Registry per service (never the global one), so tests can run several services in one process.
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';

/**
 * createMetricsRegistry returns a registry labelled with the service name and collecting Node's default metrics;
 * with a version, `service_info{version}` 1 says which build runs (the `*_info` convention; read by `blog services`).
 */
export function createMetricsRegistry(service: string, version?: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  if (version) {
    new Gauge({
      name: 'service_info',
      help: 'The running build of the service: always 1, its version in the label',
      labelNames: ['version'],
      registers: [registry],
    }).set({ version }, 1);
  }
  return registry;
}
