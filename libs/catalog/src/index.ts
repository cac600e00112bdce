// @blog/catalog: one declaration per service (services/*.ts) and the views everything else derives from them.
import type { GatewayEntry, ServiceEntry } from './entry';
import { identities } from './access';
import { gateway } from './gateway';
import { serviceEntries } from './services';

export * from './access';
export * from './entry';
export * from './names';
export * from './kafka-acls';
export { gateway };

/** services are the domain services in start order. */
export const services: readonly ServiceEntry[] = serviceEntries;

/** AppEntry is any deployable app: a service or the gateway. */
export type AppEntry = ServiceEntry | GatewayEntry;

/** apps are all deployable apps: the services, then the gateway. */
export const apps: readonly AppEntry[] = [...services, gateway];

/** appNames are the names of all apps (Nx projects, images, compose services). */
export const appNames: readonly string[] = apps.map((a) => a.name);

/** isService tells a domain service from the gateway. */
export const isService = (app: AppEntry): app is ServiceEntry => 'grpcPort' in app;

/** serviceNamed returns a service's entry, or throws for an unknown name. */
export function serviceNamed(name: string): ServiceEntry {
  const found = services.find((s) => s.name === name);
  if (!found) throw new Error(`unknown service ${name} (libs/catalog/src/services/)`);
  return found;
}

/** calleesOf are the services an app may call: those that list it among their callers. */
export const calleesOf = (app: string): readonly ServiceEntry[] =>
  services.filter((s) => s.callers.includes(app));

/** callersOf are the apps that may call a service. */
export const callersOf = (name: string): readonly string[] => serviceNamed(name).callers;

/** PORT_BLOCK is where a new service's ports start: gRPC 7051+i, admin 9101+i (the gateway has 9100). */
export const PORT_BLOCK = { grpc: 7051, admin: 9101 } as const;

/** nextPorts are the ports the next new service takes: one past the highest in use. */
export function nextPorts(): { grpcPort: number; adminPort: number } {
  return {
    grpcPort: Math.max(PORT_BLOCK.grpc - 1, ...services.map((s) => s.grpcPort)) + 1,
    adminPort: Math.max(PORT_BLOCK.admin - 1, ...services.map((s) => s.adminPort)) + 1,
  };
}

/** workloadIdentities are the names the CA issues certificates for (the services, the gateway, the tools). */
export const workloadIdentities: readonly string[] = identities(services);
