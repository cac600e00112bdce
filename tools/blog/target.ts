// Where the `blog` CLI and the console look by default: the local stack of this checkout (its brokers and its
// superuser), the services at the launcher's ports, or wherever the environment says:
//   <NAME>_SERVICE_ADDR=host:port[,host:port]   a service's gRPC nodes (the apps' own registry variable)
//   <NAME>_ADMIN_ADDR=host:port[,host:port]     their admin ports (default: the launcher's, per replica)
//   KAFKA_BROKERS, OPS_DATABASE_URL, TRACE_VIEWER_URL, STUCK_AFTER_MS, BLOG_ACTOR
import { userInfo } from 'node:os';
import {
  DEFAULT_STUCK_AFTER_MS,
  DEFAULT_TRACE_VIEWER_URL,
  unavailable,
  usage,
  type OpsTarget,
  type ServiceTarget,
} from '@blog/ops';
import { gateway, loadStackConfig, replicaPorts, services, StackError, stackInfo } from '../stack';

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
  const lazy = (): { kafkaBrokers: string[]; databaseUrl: string } => {
    if (env['KAFKA_BROKERS'] && env['OPS_DATABASE_URL']) {
      return { kafkaBrokers: list(env['KAFKA_BROKERS']), databaseUrl: env['OPS_DATABASE_URL'] };
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
      databaseUrl: env['OPS_DATABASE_URL'] || info.adminDatabaseUrl,
    };
  };
  let resolved: ReturnType<typeof lazy> | undefined;
  return {
    // Resolved on first use: `blog services` works without a stack that was ever started.
    get kafkaBrokers() {
      resolved ??= lazy();
      return resolved.kafkaBrokers;
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

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
