// Readiness: the gateway is ready when it has token keys and every downstream service answers its grpc.health.v1
// Check as SERVING (on at least one node). Each check has a short deadline so a hung service reads as not ready.
import { ChannelPool, type GrpcSecurity, type Registry, type ReadinessReport } from '@blog/framework/core';

/** ServiceHealth is one service's state as /readyz shows it. */
export type ServiceHealth =
  'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN' | 'UNKNOWN' | 'UNREACHABLE' | 'UNCONFIGURED';

/** Readiness is the /readyz body. */
export interface Readiness {
  readonly status: 'ok' | 'unavailable';
  readonly services: Record<string, ServiceHealth>;
  readonly keys: 'LOADED' | 'MISSING';
}

/** ReadinessOptions configure DownstreamReadiness. */
export interface ReadinessOptions {
  readonly registry: Registry;
  readonly services: readonly string[];
  /** keysLoaded tells whether the access-token keys are known. */
  readonly keysLoaded: () => boolean;
  /** timeoutMs of each health check (default 500). */
  readonly timeoutMs?: number;
  /** security: the gateway's mTLS identity, each service checked to be who it claims (plain TCP when absent). */
  readonly security?: Pick<GrpcSecurity, 'clientCredentials'>;
}

/** DownstreamReadiness checks the downstream services on channels of its own (apart from the business calls). */
export class DownstreamReadiness {
  /** One pool per service: each service's channels expect that service's identity. */
  private readonly pools = new Map<string, ChannelPool>();

  constructor(private readonly options: ReadinessOptions) {}

  private channels(service: string): ChannelPool {
    let pool = this.pools.get(service);
    if (!pool) {
      pool = new ChannelPool(this.options.security?.clientCredentials(service));
      this.pools.set(service, pool);
    }
    return pool;
  }

  /** check runs every service's health check concurrently. */
  async check(): Promise<Readiness> {
    const entries = await Promise.all(
      this.options.services.map(async (service) => [service, await this.checkService(service)] as const),
    );
    const services = Object.fromEntries(entries);
    const keys = this.options.keysLoaded() ? 'LOADED' : 'MISSING';
    const ready = keys === 'LOADED' && entries.every(([, state]) => state === 'SERVING');
    return { status: ready ? 'ok' : 'unavailable', services, keys };
  }

  /** report is the same result as the framework's ReadinessReport (for the admin port). */
  async report(): Promise<ReadinessReport> {
    const readiness = await this.check();
    return {
      ready: readiness.status === 'ok',
      checks: [
        {
          name: 'keys',
          ok: readiness.keys === 'LOADED',
          ...(readiness.keys === 'LOADED' ? {} : { error: 'MISSING' }),
        },
        ...Object.entries(readiness.services).map(([name, state]) => ({
          name,
          ok: state === 'SERVING',
          ...(state === 'SERVING' ? {} : { error: state }),
        })),
      ],
    };
  }

  /** close closes the health-check channels. */
  close(): void {
    for (const pool of this.pools.values()) pool.close();
    this.pools.clear();
  }

  private async checkService(service: string): Promise<ServiceHealth> {
    let addresses: string[];
    try {
      addresses = (await this.options.registry.nodes(service)).map((node) => node.address);
    } catch {
      return 'UNCONFIGURED';
    }
    if (addresses.length === 0) return 'UNREACHABLE';
    const states = await Promise.all(addresses.map((address) => this.checkNode(service, address)));
    return states.find((state) => state === 'SERVING') ?? states[0];
  }

  private checkNode(service: string, address: string): Promise<ServiceHealth> {
    // The framework's health check on the gateway's own channels; a node that cannot be asked is UNREACHABLE.
    return this.channels(service)
      .status(address, this.options.timeoutMs ?? 500)
      .then(
        (state) => state as ServiceHealth,
        () => 'UNREACHABLE',
      );
  }
}
