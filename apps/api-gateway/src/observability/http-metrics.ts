// Per-route RED metrics on the gateway's own prom-client registry: requests by route, method and status (rate and
// errors) and a duration histogram. Routes are labelled by their template (/v1/posts/:postId), never the raw URL.
import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, type Registry } from 'prom-client';

/** registerHttpMetrics counts and times every response. */
export function registerHttpMetrics(app: FastifyInstance, registry: Registry): void {
  const labelNames = ['route', 'method', 'status_code'] as const;
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by route template, method and status code',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration, by route template, method and status code',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  // The children bound to each (route, method, status) seen, so that a response costs a map lookup, not prom-client's
  // hashing of a labels object twice (the routes are a fixed set and the statuses few: the map stays small).
  const bound = new Map<
    string,
    { requests: ReturnType<typeof requests.labels>; duration: ReturnType<typeof duration.labels> }
  >();
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const key = `${request.method} ${reply.statusCode} ${route}`;
    let children = bound.get(key);
    if (!children) {
      const labels = { route, method: request.method, status_code: String(reply.statusCode) };
      children = { requests: requests.labels(labels), duration: duration.labels(labels) };
      bound.set(key, children);
    }
    children.requests.inc();
    children.duration.observe(reply.elapsedTime / 1000);
    done();
  });
}
