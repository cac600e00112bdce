// One prom-client Registry per service (never the global one), so tests can run several services in one process.
import { collectDefaultMetrics, Registry } from 'prom-client';

/** createMetricsRegistry returns a registry labelled with the service name and collecting Node's default metrics. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}
