// What every deployment must provide for each app: the workspace conventions (ports, variables, callers) in one table.
// The ports are the local stack's defaults (tools/stack/services.ts; apps.spec.ts keeps the two in step).

/** AppKind tells a domain service (gRPC, own schema) from the REST gateway. */
export type AppKind = 'service' | 'gateway';

/** AppSpec is what a deployment of one app must get right. */
export interface AppSpec {
  name: string;
  kind: AppKind;
  grpcPort: number;
  adminPort: number;
  /** dbRole is the service's PostgreSQL login role (its own schema only); none for the gateway. */
  dbRole?: string;
  /** schema is the PostgreSQL schema the service owns. */
  schema?: string;
  /** callers are the apps allowed to call this one over gRPC. */
  callers: readonly string[];
  /** requiredEnv must be set by every deployment (the rest have defaults in the app's config). */
  requiredEnv: readonly string[];
}

/** GATEWAY_PORT is the public REST port. */
export const GATEWAY_PORT = 8080;

/** serviceAddrVar names the variable that locates a service: `user` -> USER_SERVICE_ADDR. */
export const serviceAddrVar = (name: string): string =>
  `${name.replace(/[^a-zA-Z0-9]+/g, '_').toUpperCase()}_SERVICE_ADDR`;

const service = (name: string, schema: string, grpcPort: number, adminPort: number): AppSpec => ({
  name,
  kind: 'service',
  grpcPort,
  adminPort,
  dbRole: `${name}_svc`,
  schema,
  callers: ['api-gateway'],
  requiredEnv: ['GRPC_PORT', 'ADMIN_PORT', 'DATABASE_URL', 'KAFKA_BROKERS', 'REGISTRY'],
});

/** services are the six domain services, in start order. */
export const services: readonly AppSpec[] = [
  service('auth', 'auth', 50051, 9101),
  service('user', 'users', 50052, 9102),
  service('blog', 'blog', 50053, 9103),
  service('post', 'post', 50054, 9104),
  service('visitor', 'visitor', 50055, 9105),
  service('subscribe', 'subscribe', 50056, 9106),
];

/** gateway is the api-gateway: a framework service plus the REST port, calling all six services. */
export const gateway: AppSpec = {
  name: 'api-gateway',
  kind: 'gateway',
  grpcPort: 50050,
  adminPort: 9100,
  callers: [],
  requiredEnv: [
    'GRPC_PORT',
    'ADMIN_PORT',
    'GATEWAY_PORT',
    'GATEWAY_RATE_LIMIT_PER_MINUTE',
    'GATEWAY_AUTH_RATE_LIMIT_PER_MINUTE',
    'CORS_ORIGINS',
    'REGISTRY',
    ...services.map((s) => serviceAddrVar(s.name)),
  ],
};

/** apps are all seven deployable apps. */
export const apps: readonly AppSpec[] = [...services, gateway];

/** appNamed returns the spec of an app, or throws for an unknown name. */
export function appNamed(name: string): AppSpec {
  const app = apps.find((a) => a.name === name);
  if (!app) throw new Error(`unknown app ${name}`);
  return app;
}

/** infraPorts are the local stack's host ports, which compose publishes too. */
export const infraPorts = { postgres: 55432, kafka: 9092, connect: 8083 } as const;
