import { type Node, type Registry, RegistryError, nodeAt, serviceAddrVariable } from './registry';

/** HostPort is one `host:port` target from a `<NAME>_SERVICE_ADDR` variable. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/**
 * parseServiceAddr reads `host:port[,host:port]` (IPv6 hosts in brackets); every error names `variable`,
 * because that is what the operator has to fix.
 */
export function parseServiceAddr(variable: string, value: string | undefined): HostPort[] {
  if (value === undefined || value.trim() === '') {
    throw new RegistryError(`${variable} is not set (expected host:port[,host:port])`);
  }
  return value.split(',').map((raw) => {
    const entry = raw.trim();
    const match = /^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):(\d{1,5})$/.exec(entry);
    const port = match ? Number(match[2]) : NaN;
    if (!match || port < 1 || port > 65535) {
      throw new RegistryError(
        `${variable} has a malformed entry "${entry}" (expected host:port[,host:port])`,
      );
    }
    return { host: match[1], port };
  });
}

/** StaticRegistry serves the fixed node lists of `<NAME>_SERVICE_ADDR` variables (server-side discovery, compose, tests). */
export class StaticRegistry implements Registry {
  private readonly cache = new Map<string, readonly Node[]>();

  /** Passing `services` validates their variables now, so a bad deployment fails at start-up, not on first call. */
  constructor(
    private readonly env: NodeJS.ProcessEnv = process.env,
    services: readonly string[] = [],
  ) {
    for (const service of services) this.list(service);
  }

  /** nodes returns the configured addresses of `service`. */
  async nodes(service: string): Promise<readonly Node[]> {
    return this.list(service);
  }

  /** watch never fires: a static list does not change. */
  watch(): () => void {
    return () => undefined;
  }

  /** close has nothing to release. */
  close(): void {
    this.cache.clear();
  }

  private list(service: string): readonly Node[] {
    let nodes = this.cache.get(service);
    if (!nodes) {
      const variable = serviceAddrVariable(service);
      nodes = parseServiceAddr(variable, this.env[variable]).map(({ host, port }) =>
        nodeAt(`${host}:${port}`),
      );
      this.cache.set(service, nodes);
    }
    return nodes;
  }
}
