// What the operations talk to. The CLI builds it from the local stack (tools/blog), the console from its config;
// nothing here knows how the stack was started.
import type { ChannelCredentials } from '@grpc/grpc-js';
import type { KafkaSasl } from '@blog/framework';

/** ServiceNode is one running instance of a service. */
export interface ServiceNode {
  /** grpc is host:port of its gRPC server (absent for the gateway). */
  grpc?: string;
  /** admin is host:port of its admin HTTP port (/healthz, /readyz, /metrics). */
  admin: string;
}

/** ServiceTarget is one app: its name, the schema it owns (if any) and its nodes. */
export interface ServiceTarget {
  name: string;
  schema?: string;
  /** grpcService is the fully-qualified gRPC service it serves, e.g. blog.user.v1.UserService. */
  grpcService?: string;
  nodes: ServiceNode[];
}

/** OpsTarget is a running platform. */
export interface OpsTarget {
  kafkaBrokers: string[];
  /** kafkaSasl signs in to Kafka: the tools' own user (`blog-tools`), whose ACLs allow reading, redrive and purge. */
  kafkaSasl?: KafkaSasl;
  /** databaseUrl reads every service schema (inbox rows, participant state) and writes the `ops` schema. */
  databaseUrl: string;
  services: ServiceTarget[];
  /** traceViewerUrl is the trace viewer's base URL (Zipkin), e.g. http://127.0.0.1:9411. */
  traceViewerUrl: string;
  /** stuckAfterMs: a saga not terminal after this long is reported as stuck. */
  stuckAfterMs: number;
  /** actor is who runs redrives and purges (recorded with them). */
  actor: string;
  /**
   * grpcCredentials are the tools' mTLS identity (`blog-tools`, a development certificate) for `call` and the health
   * probes; absent, the channels are plain TCP and a service with mTLS on refuses them.
   */
  grpcCredentials?: ChannelCredentials;
}

/** DEFAULT_TRACE_VIEWER_URL is the local Zipkin (TRACE_VIEWER_URL overrides it). */
export const DEFAULT_TRACE_VIEWER_URL = 'http://127.0.0.1:9411';

/** DEFAULT_STUCK_AFTER_MS: five minutes, far above any saga's normal duration (p95 about 1 s; see README). */
export const DEFAULT_STUCK_AFTER_MS = 300_000;

/** traceUrl links a W3C traceparent to its trace in the viewer; undefined when there is no valid traceparent. */
export function traceUrl(viewerBase: string, traceparent: string | undefined): string | undefined {
  const traceId = traceparent?.split('-')[1];
  if (!traceId || !/^[0-9a-f]{32}$/.test(traceId) || /^0+$/.test(traceId)) return undefined;
  return `${viewerBase.replace(/\/+$/, '')}/zipkin/traces/${traceId}`;
}
