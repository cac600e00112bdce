// The services' runtime state: each node's grpc.health.v1 answer, and from its admin port's /metrics the breaker
// states (circuit_state: 0 closed, 1 half-open, 2 open) and the process start time (uptime).
import {
  credentials,
  makeClientConstructor,
  type ChannelCredentials,
  type ServiceClientConstructor,
} from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { notFound } from './errors';
import type { ServiceNode, ServiceTarget } from './target';

/** NodeState is one node's health and runtime state. */
export interface NodeState {
  grpc?: string;
  admin: string;
  /** health is the grpc.health.v1 status (SERVING, NOT_SERVING, ...), or the admin /readyz verdict for the gateway. */
  health: string;
  breakers: { endpoint: string; state: 'closed' | 'half-open' | 'open' }[];
  uptimeSeconds?: number;
  /** nodeVersion is the Node.js runtime of the process. */
  nodeVersion?: string;
  /** version is the service's own version (its `service_info` metric). */
  version?: string;
}

/** ServiceState is a service and its nodes. */
export interface ServiceState {
  name: string;
  grpcService?: string;
  nodes: NodeState[];
}

const BREAKER_STATES = ['closed', 'half-open', 'open'] as const;
const TIMEOUT_MS = 2_000;

let healthConstructor: ServiceClientConstructor | undefined;

/** findService returns the named service, or a not-found error listing the known ones. */
export function findService(services: readonly ServiceTarget[], name: string): ServiceTarget {
  const found = services.find((s) => s.name === name);
  if (!found) throw notFound(`unknown service "${name}": one of ${services.map((s) => s.name).join(', ')}`);
  return found;
}

/** serviceStates probes every node of the services. */
export async function serviceStates(
  services: readonly ServiceTarget[],
  channelCredentials?: ChannelCredentials,
): Promise<ServiceState[]> {
  return Promise.all(
    services.map(async (s) => ({
      name: s.name,
      grpcService: s.grpcService,
      nodes: await Promise.all(s.nodes.map((node) => nodeState(node, channelCredentials))),
    })),
  );
}

/** nodeState probes one node. */
export async function nodeState(
  node: ServiceNode,
  channelCredentials?: ChannelCredentials,
): Promise<NodeState> {
  // grpc.health.v1 over mTLS with the tools' identity; without one (a console in a cluster, whose CA issues none),
  // the admin port's /readyz answers the same question without a certificate.
  const [health, metrics] = await Promise.all([
    node.grpc && channelCredentials ? grpcHealth(node.grpc, channelCredentials) : readiness(node.admin),
    fetchText(`http://${node.admin}/metrics`).catch(() => undefined),
  ]);
  return { grpc: node.grpc, admin: node.admin, health, ...parseMetrics(metrics ?? '', Date.now()) };
}

/** parseMetrics reads breaker states, uptime, the service's version and the Node.js version from Prometheus text. */
export function parseMetrics(
  text: string,
  now: number,
): Pick<NodeState, 'breakers' | 'uptimeSeconds' | 'nodeVersion' | 'version'> {
  const breakers: NodeState['breakers'] = [];
  for (const m of text.matchAll(/^circuit_state\{[^}]*?\bname="([^"]+)"[^}]*\} (\d+)/gm)) {
    breakers.push({ endpoint: m[1] ?? '', state: BREAKER_STATES[Number(m[2])] ?? 'open' });
  }
  const start = /^process_start_time_seconds(?:\{[^}]*\})? (\d+(?:\.\d+)?)/m.exec(text)?.[1];
  const version = /^nodejs_version_info\{[^}]*?\bversion="([^"]+)"/m.exec(text)?.[1];
  const build = /^service_info\{[^}]*?\bversion="([^"]+)"/m.exec(text)?.[1];
  return {
    breakers: breakers.sort((a, b) => a.endpoint.localeCompare(b.endpoint)),
    uptimeSeconds: start === undefined ? undefined : Math.max(0, Math.round(now / 1000 - Number(start))),
    nodeVersion: version,
    ...(build === undefined ? {} : { version: build }),
  };
}

/** grpcHealth asks grpc.health.v1 for the server's overall status ('' service). */
export function grpcHealth(
  address: string,
  channelCredentials: ChannelCredentials = credentials.createInsecure(),
): Promise<string> {
  healthConstructor ??= makeClientConstructor(healthService as never, 'grpc.health.v1.Health');
  const client = new healthConstructor(address, channelCredentials);
  return new Promise<string>((resolve) => {
    client['check']?.(
      { service: '' },
      { deadline: Date.now() + TIMEOUT_MS },
      (error: Error | null, reply?: { status: string | number }) => {
        client.close();
        resolve(error ? 'UNREACHABLE' : statusText(reply?.status));
      },
    );
  });
}

async function readiness(admin: string): Promise<string> {
  try {
    const res = await fetch(`http://${admin}/readyz`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    return res.ok ? 'SERVING' : 'NOT_SERVING';
  } catch {
    return 'UNREACHABLE';
  }
}

async function fetchText(url: string): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  return res.text();
}

const SERVING_STATUS = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];

function statusText(status: string | number | undefined): string {
  return typeof status === 'number' ? (SERVING_STATUS[status] ?? 'UNKNOWN') : (status ?? 'UNKNOWN');
}
