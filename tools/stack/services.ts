// The services the stack hosts data for and the ports the launcher gives them (the workspace conventions).

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
  spec('auth', 'auth', 50051, 9101),
  spec('user', 'users', 50052, 9102),
  spec('blog', 'blog', 50053, 9103),
  spec('post', 'post', 50054, 9104),
  spec('visitor', 'visitor', 50055, 9105),
  spec('subscribe', 'subscribe', 50056, 9106),
];

/** gateway is the api-gateway app: a framework service (gRPC + admin ports) plus the public REST port. */
export const gateway = { name: 'api-gateway', grpcPort: 50050, adminPort: 9100 } as const;

/** serviceAddrVar is the environment variable that tells clients where a service listens, e.g. AUTH_SERVICE_ADDR. */
export const serviceAddrVar = (name: ServiceName): string => `${name.toUpperCase()}_SERVICE_ADDR`;
