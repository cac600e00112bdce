// What the stack's vitest global setup exports (KAFKA_BROKERS, <NAME>_DATABASE_URL, ...), and the environment a
// service under test gets from it: loopback, ephemeral ports, its own database role, fast handler retries.
import { kafkaPasswordVar, kafkaUserOf } from '@blog/catalog';
import { createLogger, grpcSecurity, tlsFilesIn, type Logger, type TlsEnv } from '@blog/framework';

/** testLogger is the logger of the tests' own clients: quiet unless LOG_LEVEL says otherwise. */
export const testLogger: Logger = createLogger({
  service: 'it',
  version: '0.0.0',
  level: process.env.LOG_LEVEL ?? 'warn',
});

/** stackEnv returns a variable the stack's global setup exported, or fails naming it. */
export function stackEnv(name: string, source: NodeJS.ProcessEnv = process.env): string {
  const value = source[name];
  if (!value) throw new Error(`${name} is not set: run integration tests through vitest.int.config.mts`);
  return value;
}

/** databaseUrlVariable names the variable with a service's database URL (its own login role): AUTH_DATABASE_URL. */
export function databaseUrlVariable(service: string): string {
  return `${service.toUpperCase()}_DATABASE_URL`;
}

/** tlsEnv gives the TLS variables of workload `name` from the stack's certificates (the framework's layout). */
export function tlsEnv(name: string, source: NodeJS.ProcessEnv = process.env): TlsEnv {
  return tlsFilesIn(stackEnv('STACK_CERTS_DIR', source), name);
}

/**
 * stackCredentials are the channel credentials of workload `identity` on the stack (read once, no file watcher),
 * checking that the server is `expect`: `stackCredentials('api-gateway', 'blog')` calls blog as the gateway does.
 */
export function stackCredentials(identity: string, expect?: string, source: NodeJS.ProcessEnv = process.env) {
  return grpcSecurity(
    identity,
    { NODE_ENV: 'test', GRPC_INSECURE: false, ...tlsEnv(identity, source) },
    undefined,
    {
      follow: false,
    },
  ).clientCredentials(expect);
}

/** serviceEnv is the environment of `service` on the stack; `extra` adds or replaces variables. */
export function serviceEnv(
  service: string,
  extra: Record<string, string> = {},
  source: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  return {
    NODE_ENV: 'test',
    GRPC_HOST: '127.0.0.1',
    GRPC_PORT: '0',
    ADMIN_PORT: '0',
    // The service logs everything into a LogTap, which echoes only what LOG_LEVEL asks for.
    LOG_LEVEL: 'debug',
    DATABASE_URL: stackEnv(databaseUrlVariable(service), source),
    KAFKA_BROKERS: stackEnv('KAFKA_BROKERS', source),
    // The service's own development certificate from the stack (mTLS, as in every deployment).
    ...tlsEnv(service, source),
    // The service's own Kafka user: its ACLs are what it gets in every deployment (libs/catalog kafka-acls.ts).
    KAFKA_USERNAME: kafkaUserOf(service),
    KAFKA_PASSWORD: stackEnv(kafkaPasswordVar(kafkaUserOf(service)), source),
    KAFKA_SASL_MECHANISM: 'scram-sha-512',
    // Fast handler retries: a failing handler shows up in seconds, not minutes.
    INBOX_RETRY_ATTEMPTS: '2',
    ...extra,
  };
}
