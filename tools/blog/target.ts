// Where the `blog` CLI and the console look by default: the local stack of this checkout (its brokers and its
// superuser), the services at the launcher's ports, or wherever the environment says:
//   <NAME>_SERVICE_ADDR=host:port[,host:port]   a service's gRPC nodes (the apps' own registry variable)
//   <NAME>_ADMIN_ADDR=host:port[,host:port]     their admin ports (default: the launcher's, per replica)
//   KAFKA_BROKERS, OPS_DATABASE_URL, TRACE_VIEWER_URL, STUCK_AFTER_MS, BLOG_ACTOR
//   TLS_CA_FILE, TLS_CERT_FILE, TLS_KEY_FILE      the tools' mTLS identity (default: the stack's blog-tools
//                                                 development certificate); GRPC_INSECURE=true: plain TCP
//   KAFKA_USERNAME, KAFKA_PASSWORD (KAFKA_SASL_MECHANISM)  the tools' Kafka user (the stack's `blog-tools` by default)
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { TOOLS_IDENTITY, TOOLS_KAFKA_USER } from '@blog/catalog';
import {
  clientCredentials,
  kafkaSaslFromEnv,
  readTlsMaterial,
  TlsFileError,
  type KafkaSasl,
} from '@blog/framework';
import {
  DEFAULT_STUCK_AFTER_MS,
  DEFAULT_TRACE_VIEWER_URL,
  unavailable,
  usage,
  type OpsTarget,
  type ServiceTarget,
} from '@blog/ops';
import {
  gateway,
  loadStackConfig,
  replicaPorts,
  services,
  StackError,
  stackInfo,
  tlsEnvOf,
  type StackConfig,
} from '../stack';

type ChannelCredentials = ReturnType<typeof clientCredentials>;

const grpcServiceOf: Record<string, string> = {
  auth: 'blog.auth.v1.AuthService',
  user: 'blog.user.v1.UserService',
  blog: 'blog.blog.v1.BlogService',
  post: 'blog.post.v1.PostService',
  visitor: 'blog.visitor.v1.VisitorService',
  subscribe: 'blog.subscribe.v1.SubscribeService',
};

/** opsTarget builds the target from the environment, falling back on the local stack. */
export function opsTarget(env: NodeJS.ProcessEnv = process.env): OpsTarget {
  const config = loadStackConfig(env);
  const host = config.host;
  const stuck = env['STUCK_AFTER_MS'] ? Number(env['STUCK_AFTER_MS']) : DEFAULT_STUCK_AFTER_MS;
  if (!Number.isFinite(stuck) || stuck <= 0)
    throw usage(`STUCK_AFTER_MS="${env['STUCK_AFTER_MS']}" is not a positive number of milliseconds`);
  const list = (value: string | undefined) =>
    (value ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const targets: ServiceTarget[] = services.map((s) => {
    const upper = s.name.toUpperCase();
    const grpc = list(env[`${upper}_SERVICE_ADDR`]);
    const admin = list(env[`${upper}_ADMIN_ADDR`]);
    const count = Math.max(grpc.length, admin.length, 1);
    return {
      name: s.name,
      schema: s.schema,
      grpcService: grpcServiceOf[s.name],
      nodes: Array.from({ length: count }, (_, i) => ({
        grpc: grpc[i] ?? `${host}:${replicaPorts(s, i).grpcPort}`,
        admin: admin[i] ?? `${host}:${replicaPorts(s, i).adminPort}`,
      })),
    };
  });
  targets.push({
    name: gateway.name,
    nodes: list(env['API_GATEWAY_ADMIN_ADDR'] ?? `${host}:${gateway.adminPort}`).map((admin) => ({ admin })),
  });
  const lazy = (): { kafkaBrokers: string[]; kafkaSasl?: KafkaSasl; databaseUrl: string } => {
    let fromEnv: KafkaSasl | undefined;
    try {
      fromEnv = kafkaSaslFromEnv(env);
    } catch (error) {
      throw usage((error as Error).message);
    }
    if (env['KAFKA_BROKERS'] && env['OPS_DATABASE_URL']) {
      return {
        kafkaBrokers: list(env['KAFKA_BROKERS']),
        kafkaSasl: fromEnv,
        databaseUrl: env['OPS_DATABASE_URL'],
      };
    }
    let info;
    try {
      info = stackInfo(config);
    } catch (error) {
      // The stack was never started here: one line, as for a stopped one.
      if (error instanceof StackError) throw unavailable(error.message);
      throw error;
    }
    return {
      kafkaBrokers: env['KAFKA_BROKERS'] ? list(env['KAFKA_BROKERS']) : info.kafkaBrokers,
      kafkaSasl: fromEnv ?? info.kafkaUsers[TOOLS_KAFKA_USER],
      databaseUrl: env['OPS_DATABASE_URL'] || info.adminDatabaseUrl,
    };
  };
  let resolved: ReturnType<typeof lazy> | undefined;
  let channelCredentials: { value: ChannelCredentials | undefined } | undefined;
  return {
    // Read on first use too: `blog services --help` needs no certificate.
    get grpcCredentials() {
      channelCredentials ??= { value: toolsCredentials(config, env) };
      return channelCredentials.value;
    },
    // Resolved on first use: `blog services` works without a stack that was ever started.
    get kafkaBrokers() {
      resolved ??= lazy();
      return resolved.kafkaBrokers;
    },
    get kafkaSasl() {
      resolved ??= lazy();
      return resolved.kafkaSasl;
    },
    get databaseUrl() {
      resolved ??= lazy();
      return resolved.databaseUrl;
    },
    services: targets,
    traceViewerUrl: env['TRACE_VIEWER_URL'] || DEFAULT_TRACE_VIEWER_URL,
    stuckAfterMs: stuck,
    actor: env['BLOG_ACTOR'] || `${safeUser()}@cli`,
  };
}

/**
 * toolsCredentials: the identity in TLS_* when given (a wrong file is refused naming its variable), else the stack's
 * blog-tools certificate when this checkout's stack made one, else none (plain TCP, which mTLS services refuse).
 */
export function toolsCredentials(
  config: StackConfig = loadStackConfig(),
  env: NodeJS.ProcessEnv = process.env,
): ChannelCredentials | undefined {
  if (env['GRPC_INSECURE'] === 'true') return undefined;
  const stack = tlsEnvOf(config, TOOLS_IDENTITY);
  const given = Boolean(env['TLS_CERT_FILE'] || env['TLS_KEY_FILE'] || env['TLS_CA_FILE']);
  const files = {
    caFile: (given ? env['TLS_CA_FILE'] : stack.TLS_CA_FILE) ?? '',
    certFile: (given ? env['TLS_CERT_FILE'] : stack.TLS_CERT_FILE) ?? '',
    keyFile: (given ? env['TLS_KEY_FILE'] : stack.TLS_KEY_FILE) ?? '',
  };
  if (!given && !existsSync(files.certFile)) return undefined;
  try {
    // Read once, not followed: the CLI is short-lived, and a file watcher's timer would keep it running.
    return clientCredentials(readTlsMaterial(files));
  } catch (error) {
    if (error instanceof TlsFileError) throw usage(error.message);
    throw error;
  }
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
