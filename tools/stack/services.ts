// The services the stack hosts data for and the ports the launcher gives them (the workspace conventions).
// Every port is below the ephemeral range (32768+), where an outgoing connection could hold it (see ports.ts).

/** ServiceName is one of the six domain services. */
export type ServiceName = 'auth' | 'user' | 'blog' | 'post' | 'visitor' | 'subscribe';

/** ServiceSpec is a service's schema, database role and default ports. */
export interface ServiceSpec {
  name: ServiceName;
  /** schema is the PostgreSQL schema the service owns (`user` is reserved, hence `users`). */
  schema: string;
  /** role is the service's login role: it owns its schema and can touch nothing else. */
  role: string;
  grpcPort: number;
  adminPort: number;
}

const spec = (name: ServiceName, schema: string, grpcPort: number, adminPort: number): ServiceSpec => ({
  name,
  schema,
  role: `${name}_svc`,
  grpcPort,
  adminPort,
});

/** services lists the six services in start order (the gateway comes after them). */
export const services: readonly ServiceSpec[] = [
  spec('auth', 'auth', 7051, 9101),
  spec('user', 'users', 7052, 9102),
  spec('blog', 'blog', 7053, 9103),
  spec('post', 'post', 7054, 9104),
  spec('visitor', 'visitor', 7055, 9105),
  spec('subscribe', 'subscribe', 7056, 9106),
];

/** gateway is the api-gateway app: the public REST port (the stack config's) and an admin port; it serves no gRPC. */
export const gateway = { name: 'api-gateway', adminPort: 9100 } as const;

/** MAX_REPLICAS bounds `npm start -- --replicas N`: replica i takes the ports +10*i, so 9 would reach the next app's. */
export const MAX_REPLICAS = 9;

/** REPLICA_PORT_STEP is how far each further replica's ports are from the first's (7051, 7061, 7071...). */
export const REPLICA_PORT_STEP = 10;

/** replicaPorts are the gRPC and admin ports of replica `index` (0 is the first) of an app. */
export function replicaPorts(app: ServiceSpec, index: number): { grpcPort: number; adminPort: number } {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_REPLICAS) {
    throw new RangeError(`replica index ${index} is outside 0-${MAX_REPLICAS - 1}`);
  }
  return {
    grpcPort: app.grpcPort + REPLICA_PORT_STEP * index,
    adminPort: app.adminPort + REPLICA_PORT_STEP * index,
  };
}

/** serviceAddrVar is the environment variable that tells clients where a service listens, e.g. AUTH_SERVICE_ADDR. */
export const serviceAddrVar = (name: ServiceName): string => `${name.toUpperCase()}_SERVICE_ADDR`;
