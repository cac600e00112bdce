import { resolve4 } from 'node:dns/promises';
import { isIP } from 'node:net';
import {
  type Node,
  type Registry,
  RegistryError,
  type Watcher,
  nodeAt,
  serviceAddrVariable,
} from './registry';
import { type HostPort, parseServiceAddr } from './static';

/** Resolve4 answers the IPv4 addresses of a host name (node:dns/promises resolve4 by default). */
export type Resolve4 = (hostname: string) => Promise<string[]>;

/** DnsRegistryOptions tune the dns registry; every field has a default. */
export interface DnsRegistryOptions {
  /** env holds the `<NAME>_SERVICE_ADDR` variables (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** intervalMs between re-resolutions (default 5000). */
  intervalMs?: number;
  /** resolve4 is injectable for tests. */
  resolve4?: Resolve4;
}

interface Tracked {
  readonly targets: readonly HostPort[];
  /** The last good answer per host: a resolver error keeps it instead of emptying the service. */
  readonly answers: Map<string, readonly string[]>;
  readonly watchers: Set<Watcher>;
  nodes: readonly Node[];
  ready: Promise<void>;
  timer?: NodeJS.Timeout;
}

/**
 * DnsRegistry re-resolves the hosts of `<NAME>_SERVICE_ADDR` periodically, one node per A record: a compose service
 * name or a Kubernetes headless Service then yields every replica, so the selector can balance per call.
 */
export class DnsRegistry implements Registry {
  private readonly env: NodeJS.ProcessEnv;
  private readonly intervalMs: number;
  private readonly resolve4: Resolve4;
  private readonly services = new Map<string, Tracked>();
  private closed = false;

  constructor(options: DnsRegistryOptions = {}) {
    this.env = options.env ?? process.env;
    this.intervalMs = options.intervalMs ?? 5000;
    this.resolve4 = options.resolve4 ?? resolve4;
  }

  /** nodes waits for the first resolution of `service`, then answers from the periodically refreshed list. */
  async nodes(service: string): Promise<readonly Node[]> {
    const tracked = this.track(service);
    await tracked.ready;
    if (tracked.nodes.length === 0) {
      // Nothing resolved yet: try again now rather than serve an empty list until the next tick.
      await this.refresh(tracked);
      if (tracked.nodes.length === 0) {
        const hosts = tracked.targets.map((t) => t.host).join(', ');
        throw new RegistryError(`${serviceAddrVariable(service)}: no A records for ${hosts}`);
      }
    }
    return tracked.nodes;
  }

  /** watch is told each changed answer (never the same list twice in a row). */
  watch(service: string, watcher: Watcher): () => void {
    const tracked = this.track(service);
    tracked.watchers.add(watcher);
    return () => tracked.watchers.delete(watcher);
  }

  /** close stops every refresh timer. */
  close(): void {
    this.closed = true;
    for (const tracked of this.services.values()) clearTimeout(tracked.timer);
    this.services.clear();
  }

  private track(service: string): Tracked {
    let tracked = this.services.get(service);
    if (!tracked) {
      const variable = serviceAddrVariable(service);
      tracked = {
        targets: parseServiceAddr(variable, this.env[variable]),
        answers: new Map(),
        watchers: new Set(),
        nodes: [],
        ready: Promise.resolve(),
      };
      this.services.set(service, tracked);
      const started = tracked;
      tracked.ready = this.refresh(started).finally(() => this.schedule(started));
    }
    return tracked;
  }

  private schedule(tracked: Tracked): void {
    if (this.closed) return;
    tracked.timer = setTimeout(
      () => void this.refresh(tracked).finally(() => this.schedule(tracked)),
      this.intervalMs,
    );
    tracked.timer.unref();
  }

  private async refresh(tracked: Tracked): Promise<void> {
    await Promise.all(
      tracked.targets.map(async ({ host }) => {
        if (isIP(host.replace(/^\[|\]$/g, ''))) {
          tracked.answers.set(host, [host]);
          return;
        }
        try {
          const ips = await this.resolve4(host);
          if (ips.length > 0) tracked.answers.set(host, ips);
        } catch {
          // Keep the last good answer: a DNS hiccup must not make a healthy service look empty.
        }
      }),
    );
    const addresses = new Set<string>();
    for (const { host, port } of tracked.targets) {
      for (const ip of tracked.answers.get(host) ?? []) addresses.add(`${ip}:${port}`);
    }
    const next = [...addresses].sort();
    if (next.join() === tracked.nodes.map((n) => n.address).join()) return;
    tracked.nodes = next.map(nodeAt);
    if (this.closed) return;
    for (const watcher of tracked.watchers) {
      try {
        watcher(tracked.nodes);
      } catch {
        // One faulty watcher must not stop the others or the refresh loop.
      }
    }
  }
}
