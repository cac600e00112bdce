// Where the local stack keeps its state and which ports it uses: one place, read from the environment once.
import { join, resolve } from 'node:path';
import { StackError } from './errors';

/** StackPorts are the loopback ports of the stack's parts (each overridable by environment). */
export interface StackPorts {
  postgres: number;
  kafka: number;
  controller: number;
  connect: number;
  gateway: number;
  /** zipkin is the trace viewer's HTTP port (UI, query API and the span collector at /api/v2/spans). */
  zipkin: number;
}

/** StackConfig locates the stack's folders, templates and ports. */
export interface StackConfig {
  repoRoot: string;
  /** stackDir holds everything: state, logs, pids, secrets and the jar cache (git-ignored). */
  stackDir: string;
  /** jvmDir is the jar cache; `--fresh` keeps it. */
  jvmDir: string;
  runDir: string;
  logDir: string;
  postgresDir: string;
  kafkaDir: string;
  connectDir: string;
  secretsFile: string;
  /** deployDir holds the pom, the property templates and log4j config (deploy/local). */
  deployDir: string;
  /** connectorFile is the single source of the Debezium connector config. */
  connectorFile: string;
  host: '127.0.0.1';
  database: string;
  ports: StackPorts;
}

/** repoRoot is the workspace root (this file lives in tools/stack). */
export const repoRoot = resolve(__dirname, '..', '..');

const portVars = {
  postgres: ['PG_PORT', 15432],
  kafka: ['KAFKA_PORT', 9092],
  controller: ['KAFKA_CONTROLLER_PORT', 9093],
  connect: ['CONNECT_PORT', 8083],
  gateway: ['GATEWAY_PORT', 8080],
  zipkin: ['ZIPKIN_PORT', 9411],
} as const;

/** portEnvVar names the environment variable that overrides a part's port (for messages). */
export const portEnvVar = (part: keyof StackPorts): string => portVars[part][0];

/** loadStackConfig reads STACK_DIR and the port variables; anything unset takes its default. */
export function loadStackConfig(env: NodeJS.ProcessEnv = process.env): StackConfig {
  const stackDir = resolve(env['STACK_DIR'] || join(repoRoot, '.stack'));
  const ports = Object.fromEntries(
    Object.entries(portVars).map(([part, [name, fallback]]) => [part, parsePort(name, env[name], fallback)]),
  ) as unknown as StackPorts;
  return {
    repoRoot,
    stackDir,
    jvmDir: join(stackDir, 'jvm'),
    runDir: join(stackDir, 'run'),
    logDir: join(stackDir, 'logs'),
    postgresDir: join(stackDir, 'postgres'),
    kafkaDir: join(stackDir, 'kafka'),
    connectDir: join(stackDir, 'connect'),
    secretsFile: join(stackDir, 'secrets.json'),
    deployDir: join(repoRoot, 'deploy', 'local'),
    connectorFile: join(repoRoot, 'deploy', 'connector', 'debezium-outbox.json'),
    host: '127.0.0.1',
    database: 'blog',
    ports,
  };
}

function parsePort(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new StackError(`${name}=${raw} is not a port: set it to a number between 1 and 65535`);
  }
  return port;
}
