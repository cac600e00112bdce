// The variables every service shares (see the preamble's conventions); each service extends this schema with its own.
import { z } from 'zod';

/** ServiceDefaults are the per-service default ports. */
export interface ServiceDefaults {
  readonly grpcPort: number;
  readonly adminPort: number;
}

/** port is a TCP port variable (0 picks a free one, as tests do). */
export function port(defaultPort: number) {
  return z.coerce
    .number({ error: 'must be a port number' })
    .int({ error: 'must be an integer port number' })
    .min(0, { error: 'must be a port number between 0 and 65535' })
    .max(65535, { error: 'must be a port number between 0 and 65535' })
    .default(defaultPort);
}

/** milliseconds is a non-negative duration variable in milliseconds. */
export function milliseconds(defaultMs: number) {
  return z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int({ error: 'must be a whole number of milliseconds' })
    .min(0, { error: 'must not be negative' })
    .default(defaultMs);
}

/** LOG_LEVELS are the pino levels LOG_LEVEL accepts. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** ProcessDefaults are the default ports of a process that serves no gRPC (the gateway). */
export interface ProcessDefaults {
  readonly adminPort: number;
}

/**
 * processConfig is the schema of the variables every process shares, gRPC or not: environment, admin port, log
 * level, shutdown time, CONFIG_FILE and span export. A process without a gRPC server (runHttpService) uses it alone.
 */
export function processConfig(defaults: ProcessDefaults) {
  return z.object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    ADMIN_PORT: port(defaults.adminPort),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    SHUTDOWN_TIMEOUT_MS: milliseconds(10_000),
    /** CONFIG_FILE: a file (NAME=value lines or JSON) or a ConfigMap folder over the environment, followed live. */
    CONFIG_FILE: z.string().optional(),
    // Span export, read by the OpenTelemetry SDK itself (telemetry/sdk.ts); declared here so a bad value stops the
    // start naming the variable instead of being ignored by the SDK with a diagnostic nobody sees.
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ error: 'must be a URL such as http://collector:4318' }).optional(),
    OTEL_TRACES_EXPORTER: z
      .string()
      .regex(/^\s*(otlp|zipkin|console|none)\s*(,\s*(otlp|zipkin|console|none)\s*)*$/, {
        error: 'must be otlp, zipkin, console or none (or a comma-separated list of them)',
      })
      .optional(),
    OTEL_EXPORTER_ZIPKIN_ENDPOINT: z
      .url({ error: 'must be a URL such as http://zipkin:9411/api/v2/spans' })
      .optional(),
    // mTLS between services (auth/security.ts): the CA that signs every identity, this workload's certificate (its
    // SPIFFE ID in a URI SAN) and key. Required unless GRPC_INSECURE=true, which production refuses.
    TLS_CA_FILE: z.string().optional(),
    TLS_CERT_FILE: z.string().optional(),
    TLS_KEY_FILE: z.string().optional(),
    GRPC_INSECURE: z
      .enum(['true', 'false'], { error: 'must be true or false' })
      .default('false')
      .transform((value) => value === 'true'),
  });
}

/** ProcessConfig is the typed value of the variables every process shares. */
export type ProcessConfig = z.output<ReturnType<typeof processConfig>>;

/** baseConfig is the schema of the shared variables of a gRPC service, with the service's own default ports. */
export function baseConfig(defaults: ServiceDefaults) {
  const shared = processConfig(defaults).shape;
  // In this order, the order in which a bad config lists its variables.
  return z.object({
    NODE_ENV: shared.NODE_ENV,
    // Loopback unless told otherwise: a developer's process is not reachable from the network by accident;
    // containers set 0.0.0.0 (compose and Kubernetes do, and deploy validation requires it).
    GRPC_HOST: z.string().default('127.0.0.1'),
    GRPC_PORT: port(defaults.grpcPort),
    ADMIN_PORT: shared.ADMIN_PORT,
    LOG_LEVEL: shared.LOG_LEVEL,
    SHUTDOWN_TIMEOUT_MS: shared.SHUTDOWN_TIMEOUT_MS,
    /** The longest a call may run on this server, whatever deadline the caller sent (or none). */
    GRPC_MAX_DEADLINE_MS: milliseconds(30_000),
    CONFIG_FILE: shared.CONFIG_FILE,
    OTEL_EXPORTER_OTLP_ENDPOINT: shared.OTEL_EXPORTER_OTLP_ENDPOINT,
    OTEL_TRACES_EXPORTER: shared.OTEL_TRACES_EXPORTER,
    OTEL_EXPORTER_ZIPKIN_ENDPOINT: shared.OTEL_EXPORTER_ZIPKIN_ENDPOINT,
    TLS_CA_FILE: shared.TLS_CA_FILE,
    TLS_CERT_FILE: shared.TLS_CERT_FILE,
    TLS_KEY_FILE: shared.TLS_KEY_FILE,
    GRPC_INSECURE: shared.GRPC_INSECURE,
  });
}

/** BaseConfig is the typed value of the shared variables. */
export type BaseConfig = z.output<ReturnType<typeof baseConfig>>;
