// grpc.health.v1 (grpc-health-check) for the whole server ("") and for each business service by its full name.
// Watch streams are tracked so shutdown can tell watchers NOT_SERVING and then end their streams: a long-lived
// Watch must not hold the graceful drain open until the forced deadline.
import type { Server, ServerWritableStream, UntypedServiceImplementation } from '@grpc/grpc-js';
import { HealthImplementation, type ServingStatus } from 'grpc-health-check';

/** HEALTH_SERVICE is the fully-qualified name of the health service. */
export const HEALTH_SERVICE = 'grpc.health.v1.Health';

/** GrpcHealth reports one status for the server and each of its services. */
export class GrpcHealth {
  private readonly implementation: HealthImplementation;
  private readonly watches = new Set<ServerWritableStream<unknown, unknown>>();

  /** services are the fully-qualified service names; all start NOT_SERVING. */
  constructor(private readonly services: readonly string[]) {
    const initial: Record<string, ServingStatus> = { '': 'NOT_SERVING' };
    for (const name of services) initial[name] = 'NOT_SERVING';
    this.implementation = new HealthImplementation(initial);
  }

  /** addToServer registers grpc.health.v1.Health on the server. */
  addToServer(server: Server): void {
    this.implementation.addToServer({
      addService: (service, implementation) => server.addService(service, this.trackWatches(implementation)),
    });
  }

  /** setServing sets "" and every service to SERVING or NOT_SERVING (watchers are told at once). */
  setServing(serving: boolean): void {
    const status: ServingStatus = serving ? 'SERVING' : 'NOT_SERVING';
    for (const name of ['', ...this.services]) this.implementation.setStatus(name, status);
  }

  /** endWatches completes every open Watch stream with OK. */
  endWatches(): void {
    for (const call of this.watches) call.end();
    this.watches.clear();
  }

  private trackWatches(implementation: UntypedServiceImplementation): UntypedServiceImplementation {
    const watch = implementation['watch'] as
      ((call: ServerWritableStream<unknown, unknown>) => void) | undefined;
    if (!watch) return implementation;
    return {
      ...implementation,
      watch: (call: ServerWritableStream<unknown, unknown>) => {
        this.watches.add(call);
        call.on('cancelled', () => this.watches.delete(call));
        watch(call);
      },
    };
  }
}
