// What every deployment must provide for each app: a view of the service catalog (libs/catalog) plus the rules of
// the deployment checks (variables required outside an app's config schema, variables that mislead).
import * as catalog from '@blog/catalog';

/** AppKind tells a domain service (gRPC, own schema) from the REST gateway. */
export type AppKind = 'service' | 'gateway';

interface AppBase {
  name: string;
  adminPort: number;
  /** callers are the apps allowed to call this one over gRPC. */
  callers: readonly string[];
  /**
   * requiredEnv are variables every deployment must set although the app's config schema does not require them:
   * the ones read outside the schema (the registry) and the ones the deployment's shape needs (a shared salt).
   * What the schema itself requires is read from the app's source (app-env/config-schema.ts).
   */
  requiredEnv: readonly string[];
  /** unusedEnv are variables of the app's schema that it does not use, with the reason; setting one misleads. */
  unusedEnv: Readonly<Record<string, string>>;
}

/** ServiceSpec is a domain service: gRPC on its own port, a database role and schema of its own. */
export interface ServiceSpec extends AppBase {
  kind: 'service';
  grpcPort: number;
  /** dbRole is the service's PostgreSQL login role (its own schema only). */
  dbRole: string;
  /** schema is the PostgreSQL schema the service owns. */
  schema: string;
}

/** GatewaySpec is the api-gateway: REST on GATEWAY_PORT and the admin port, no gRPC server. */
export interface GatewaySpec extends AppBase {
  kind: 'gateway';
}

/** AppSpec is what a deployment of one app must get right. */
export type AppSpec = ServiceSpec | GatewaySpec;

/** GATEWAY_PORT is the public REST port. */
export const GATEWAY_PORT = catalog.gateway.restPort;

/** serviceAddrVar names the variable that locates a service: `user` -> USER_SERVICE_ADDR. */
export const serviceAddrVar = catalog.serviceAddrVar;

const service = (entry: catalog.ServiceEntry): ServiceSpec => ({
  name: entry.name,
  kind: 'service',
  grpcPort: entry.grpcPort,
  adminPort: entry.adminPort,
  dbRole: catalog.dbRoleOf(entry.name),
  schema: entry.schema,
  callers: entry.callers,
  // The services call no other service, so they read neither REGISTRY nor any *_SERVICE_ADDR. GRPC_HOST defaults to
  // the loopback interface, where nothing outside the container could reach the service.
  requiredEnv: ['GRPC_HOST'],
  unusedEnv: {},
});

/** services are the catalog's domain services, in start order. */
export const services: readonly ServiceSpec[] = catalog.services.map(service);

/** gateway is the api-gateway: REST and admin ports only, calling all six services. */
export const gateway: GatewaySpec = {
  name: catalog.gateway.name,
  kind: 'gateway',
  adminPort: catalog.gateway.adminPort,
  callers: [],
  requiredEnv: [
    // The framework's registry reads these outside the gateway's config schema.
    'REGISTRY',
    ...catalog.calleesOf(catalog.gateway.name).map((s) => serviceAddrVar(s.name)),
    // Optional for one process, but replicas (and restarts) must hash anonymous readers alike.
    'VIEWER_HASH_SALT',
    // The default is the loopback interface, where nothing outside the container could reach the gateway.
    'GATEWAY_HOST',
  ],
  // The shared base schema has them, but the gateway serves REST and admin HTTP only.
  unusedEnv: Object.fromEntries(
    ['GRPC_HOST', 'GRPC_PORT', 'GRPC_MAX_DEADLINE_MS'].map((name) => [name, 'the gateway serves no gRPC']),
  ),
};

/** gatewayCallees are the services the gateway calls: those whose catalog callers include it. */
export const gatewayCallees: readonly ServiceSpec[] = services.filter((s) =>
  s.callers.includes(gateway.name),
);

/** apps are all deployable apps. */
export const apps: readonly AppSpec[] = [...services, gateway];

/** appNamed returns the spec of an app, or throws for an unknown name. */
export function appNamed(name: string): AppSpec {
  const app = apps.find((a) => a.name === name);
  if (!app) throw new Error(`unknown app ${name}`);
  return app;
}

/** infraPorts are the local stack's host ports, which compose publishes too. */
export const infraPorts = { postgres: 15432, kafka: 9092, connect: 8083 } as const;
