// api-gateway: the public REST API over the services. Its callees are every service whose callers include it.
import type { GatewayEntry } from './entry';

/** gateway is the catalog entry of the api-gateway app. */
export const gateway: GatewayEntry = {
  name: 'api-gateway',
  summary: 'The public REST API (Fastify) over the gRPC services.',
  adminPort: 9100,
  restPort: 8080,
};
