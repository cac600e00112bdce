// The registry contract: where the nodes of a service are. Implementations: static.ts (env), dns.ts (A records).
// This file stays free of grpc/pg/kafkajs imports so anything can depend on it.

/** Node is one reachable instance of a service. */
export interface Node {
  /** id is stable for as long as the node keeps its address (we use the address itself). */
  readonly id: string;
  /** address is `host:port`, ready for a gRPC channel. */
  readonly address: string;
}

/** Watcher is told the full, new node list of a service each time it changes. */
export type Watcher = (nodes: readonly Node[]) => void;

/** Registry lists the nodes of a service and lets callers watch that list change. */
export interface Registry {
  /** nodes resolves the current nodes of `service` (e.g. 'user'); rejects with a RegistryError when it cannot. */
  nodes(service: string): Promise<readonly Node[]>;
  /** watch calls `watcher` whenever the node list of `service` changes; returns the unsubscribe function. */
  watch(service: string, watcher: Watcher): () => void;
  /** close stops background work (timers); the registry is unusable afterwards. */
  close(): void;
}

/** RegistryError is a configuration or resolution problem; its message names the variable or host at fault. */
export class RegistryError extends Error {
  override readonly name = 'RegistryError';
}

/** serviceAddrVariable names the environment variable holding a service's addresses: 'api-gateway' -> API_GATEWAY_SERVICE_ADDR. */
export function serviceAddrVariable(service: string): string {
  return `${service.replace(/[^a-zA-Z0-9]+/g, '_').toUpperCase()}_SERVICE_ADDR`;
}

/** nodeAt makes the Node for an address. */
export function nodeAt(address: string): Node {
  return { id: address, address };
}
