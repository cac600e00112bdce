// The services the stack hosts data for and the ports the launcher gives them: a view of the catalog (libs/catalog).
// Every port is below the ephemeral range (32768+), where an outgoing connection could hold it (see ports.ts).

import {
  gateway as gatewayEntry,
  serviceAddrVar as addrVar,
  dbRoleOf,
  services as catalog,
} from '@blog/catalog';

/** ServiceName is the name of one domain service of the catalog (libs/catalog). */
export type ServiceName = string;

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

/** services lists the catalog's services in start order (the gateway comes after them). */
export const services: readonly ServiceSpec[] = catalog.map((s) => ({
  name: s.name,
  schema: s.schema,
  role: dbRoleOf(s.name),
  grpcPort: s.grpcPort,
  adminPort: s.adminPort,
}));

/** gateway is the api-gateway app: the public REST port (the stack config's) and an admin port; it serves no gRPC. */
export const gateway = { name: gatewayEntry.name, adminPort: gatewayEntry.adminPort } as const;

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
export const serviceAddrVar = (name: ServiceName): string => addrVar(name);
