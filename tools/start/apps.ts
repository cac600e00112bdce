// The apps `npm start` runs on top of the stack: which ones, with which environment, and how they are started
// (node 24 = the launcher's own process.execPath) and stopped (reverse order, SIGTERM, then SIGKILL).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  appEntry,
  appPidFile,
  gateway,
  MAX_REPLICAS,
  replicaPorts,
  serviceAddrVar,
  services,
  StackError,
  tlsEnvOf,
  type StackConfig,
  type StackInfo,
} from '../stack';
import { kafkaSaslEnv } from '@blog/framework';
import { portProblem } from '../stack/ports';
import { LinePrefixer } from './line-prefixer';
import { zipkinEnabled, zipkinSpansEndpoint } from '../stack/zipkin/zipkin';
import { stopProcessGroup } from '../stack/process/processes';

/** AppSpec is one app instance to run: its app name, instance name, ports and the variables the launcher adds. */
export interface AppSpec {
  /** name is the app (`user`): its folder under apps/ and its build. */
  name: string;
  /** instance names this process: the app's name for the first replica, `<name>.<n>` for the n-th (`user.2`). */
  instance: string;
  ports: number[];
  env: Record<string, string>;
}

/** instanceName is the name of replica `index` (0-based) of an app: `user`, `user.2`, `user.3`... */
export const instanceName = (app: string, index: number): string =>
  index === 0 ? app : `${app}.${index + 1}`;

/**
 * appSpecs lists the six services then the gateway (it calls them), with each one's environment. With `replicas` > 1
 * every service runs that many instances (ports +10 each: 7052, 7062...), and every caller's `<NAME>_SERVICE_ADDR`
 * lists them all, so the static registry hands the gateway all of them; Kafka spreads each topic's partitions over the
 * instances of a service, which share its consumer group. The gateway stays one: its REST port is the entry point.
 */
export function appSpecs(
  config: StackConfig,
  info: StackInfo,
  env: NodeJS.ProcessEnv = process.env,
  replicas = 1,
): AppSpec[] {
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > MAX_REPLICAS) {
    throw new StackError(`replicas must be a whole number from 1 to ${MAX_REPLICAS}, got ${replicas}`);
  }
  const indexes = Array.from({ length: replicas }, (_, index) => index);
  const shared: Record<string, string> = {
    // Local runs stay on the loopback interface unless the developer says otherwise.
    GRPC_HOST: env['GRPC_HOST'] || config.host,
    KAFKA_BROKERS: info.kafkaBrokers.join(','),
    ...traceExport(config, env),
    ...Object.fromEntries(
      services.map((s) => [
        serviceAddrVar(s.name),
        indexes.map((index) => `${config.host}:${replicaPorts(s, index).grpcPort}`).join(','),
      ]),
    ),
  };
  const serviceApps = services.flatMap((s) =>
    indexes.map((index) => {
      const { grpcPort, adminPort } = replicaPorts(s, index);
      return {
        name: s.name,
        instance: instanceName(s.name, index),
        ports: [grpcPort, adminPort],
        env: {
          ...shared,
          GRPC_PORT: String(grpcPort),
          ADMIN_PORT: String(adminPort),
          // Its mTLS identity: the stack's development certificate of the service (every replica shares it).
          ...tlsEnvOf(config, s.name),
          DATABASE_URL: info.databaseUrls[s.name],
          // The service's own Kafka user: it reads what it consumes and writes its dead-letter topics, no more.
          ...serviceKafkaEnv(info, s.name),
          // post's events go out as protobuf binary, the others' as proto3 JSON: consumers decode each record by its
          // contentType header, so every saga of `npm start` and the e2e suite crosses mixed formats.
          ...(s.name === 'post' ? { OUTBOX_CONTENT_TYPE: 'application/x-protobuf' } : {}),
          // auth generates its dev-only signing keys here on first start, so tokens outlive restarts (replicas agree
          // on one file); production keys come from AUTH_JWT_PRIVATE_KEYS, which takes precedence in auth.
          ...(s.name === 'auth' ? { AUTH_DEV_KEYS_DIR: join(config.stackDir, 'auth-keys') } : {}),
        },
      };
    }),
  );
  const gatewayApp = {
    name: gateway.name,
    instance: gateway.name,
    ports: [gateway.adminPort, config.ports.gateway],
    env: {
      ...shared,
      // REST and admin on the loopback interface like every other part, unless the developer chose otherwise.
      GATEWAY_HOST: env['GATEWAY_HOST'] || config.host,
      ADMIN_PORT: String(gateway.adminPort),
      GATEWAY_PORT: String(config.ports.gateway),
      ...tlsEnvOf(config, gateway.name),
    },
  };
  return [...serviceApps, gatewayApp];
}

/** serviceKafkaEnv is a service's KAFKA_USERNAME / KAFKA_PASSWORD (/ KAFKA_SASL_MECHANISM) from the stack's users. */
export function serviceKafkaEnv(info: StackInfo, service: string): Record<string, string> {
  const sasl = info.kafkaUsers[service];
  if (!sasl)
    throw new StackError(`no Kafka user ${service} in the stack's secrets: run \`npm run stack:up\``);
  return kafkaSaslEnv(sasl);
}

/** consoleEnv tells the console where the started instances are: `<NAME>_SERVICE_ADDR` and `<NAME>_ADMIN_ADDR`. */
export function consoleEnv(specs: readonly AppSpec[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const s of services) {
    const mine = specs.filter((spec) => spec.name === s.name);
    if (mine.length === 0) continue;
    const host =
      mine[0]?.env['GRPC_HOST'] === '0.0.0.0' ? '127.0.0.1' : (mine[0]?.env['GRPC_HOST'] ?? '127.0.0.1');
    env[serviceAddrVar(s.name)] = mine.map((spec) => `${host}:${spec.ports[0]}`).join(',');
    env[`${s.name.toUpperCase()}_ADMIN_ADDR`] = mine.map((spec) => `${host}:${spec.ports[1]}`).join(',');
  }
  return env;
}

/**
 * traceExport chooses where the apps' spans go, with the standard OTEL_* variables the framework's OpenTelemetry SDK
 * reads: to the stack's Zipkin (its own /api/v2/spans collector: Zipkin 3 has no OTLP receiver), or nowhere when the
 * viewer is off. A developer's own OTEL_TRACES_EXPORTER / OTEL_EXPORTER_OTLP_ENDPOINT win (e.g. an OTLP collector).
 */
export function traceExport(
  config: StackConfig,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  if (env['OTEL_TRACES_EXPORTER'] || env['OTEL_EXPORTER_OTLP_ENDPOINT']) return {};
  if (!zipkinEnabled(env)) return { OTEL_TRACES_EXPORTER: 'none' };
  return { OTEL_TRACES_EXPORTER: 'zipkin', OTEL_EXPORTER_ZIPKIN_ENDPOINT: zipkinSpansEndpoint(config) };
}

/** replicasFrom reads the replica count from `--replicas N` / `--replicas=N` or REPLICAS (default 1). */
export function replicasFrom(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): number {
  const at = argv.findIndex((arg) => arg === '--replicas' || arg.startsWith('--replicas='));
  const flag = argv[at];
  const raw = flag === undefined ? env['REPLICAS'] : flag.includes('=') ? flag.split('=')[1] : argv[at + 1];
  const source = at < 0 ? 'REPLICAS' : '--replicas';
  if (flag !== undefined && (raw === undefined || raw === '')) {
    throw new StackError(`--replicas needs a count: give a whole number from 1 to ${MAX_REPLICAS}`);
  }
  if (raw === undefined || raw === '') return 1;
  const replicas = Number(raw);
  if (!/^\d+$/.test(raw) || replicas < 1 || replicas > MAX_REPLICAS) {
    throw new StackError(
      `${source}=${raw} is not a replica count: give a whole number from 1 to ${MAX_REPLICAS}`,
    );
  }
  return replicas;
}

/** hasSource tells whether an app has an entry point to build (apps are being written one by one). */
export const hasSource = (config: StackConfig, app: string): boolean =>
  existsSync(join(config.repoRoot, 'apps', app, 'src', 'main.ts'));

/** buildApps runs `nx run-many -t build` for the given apps (and, through Nx, the libraries they use). */
export function buildApps(config: StackConfig, apps: string[]): boolean {
  if (apps.length === 0) return true;
  const nx = require.resolve('nx/bin/nx.js', { paths: [config.repoRoot] });
  const projects = apps.map((app) => (app === gateway.name ? 'api-gateway' : app));
  const result = spawnSync(
    process.execPath,
    [nx, 'run-many', '-t', 'build', `--projects=${projects.join(',')}`, '--outputStyle=stream'],
    {
      cwd: config.repoRoot,
      stdio: 'inherit',
      env: process.env,
    },
  );
  return result.status === 0;
}

/** requireAppPortsFree fails with one line when a port of an app is taken, saying by what (see stack/ports.ts). */
export async function requireAppPortsFree(apps: AppSpec[]): Promise<void> {
  for (const app of apps) {
    for (const port of app.ports) {
      const problem = await portProblem(
        port,
        app.instance,
        'stop it (npm run stack:down stops old apps too)',
      );
      if (problem) throw new StackError(problem);
    }
  }
}

/** RunningApp is a started app. */
export interface RunningApp {
  spec: AppSpec;
  child: ChildProcess;
  exited: Promise<number | null>;
}

/**
 * startApp runs `node apps/<name>/dist/main.js` in its own process group (Ctrl-C reaches only the launcher,
 * which then stops the apps in order) and prints its output behind a `[name]` prefix on every line.
 */
export function startApp(config: StackConfig, spec: AppSpec, prefix: string): RunningApp {
  const child = spawn(process.execPath, [appEntry(config, spec.name)], {
    cwd: join(config.repoRoot, 'apps', spec.name),
    env: { ...process.env, ...spec.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pidFile = appPidFile(config, spec.instance);
  if (child.pid !== undefined) writeFileSync(pidFile, `${child.pid}\n`);
  // A chunk at a time, not a line at a time (line-prefixer.ts); the launcher's stdout stays open for the others.
  for (const stream of [child.stdout, child.stderr]) {
    stream?.pipe(new LinePrefixer(prefix)).pipe(process.stdout, { end: false });
  }
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      rmSync(pidFile, { force: true });
      resolve(code);
    });
    child.once('error', () => resolve(null));
  });
  return { spec, child, exited };
}

/** stopAppsInReverse stops the apps newest first, each with SIGTERM, then SIGKILL after the shutdown timeout. */
export async function stopAppsInReverse(
  apps: RunningApp[],
  log: (line: string) => void = () => undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  // The apps' own graceful shutdown is bounded by SHUTDOWN_TIMEOUT_MS (10 s); give them that plus a margin.
  const timeoutMs = Number(env['SHUTDOWN_TIMEOUT_MS'] || 10_000) + 5_000;
  for (const app of [...apps].reverse()) {
    if (app.child.pid === undefined || app.child.exitCode !== null || app.child.signalCode !== null) continue;
    const started = Date.now();
    const outcome = await stopProcessGroup(app.child.pid, { signal: 'SIGTERM', timeoutMs });
    await app.exited;
    log(
      `${app.spec.instance} ${outcome === 'killed' ? 'killed after the shutdown timeout' : 'stopped'} in ${((Date.now() - started) / 1000).toFixed(1)}s`,
    );
  }
}
