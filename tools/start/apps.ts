// The apps `npm start` runs on top of the stack: which ones, with which environment, and how they are started
// (node 24 = the launcher's own process.execPath) and stopped (reverse order, SIGTERM, then SIGKILL).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  appEntry,
  appPidFile,
  gateway,
  serviceAddrVar,
  services,
  StackError,
  type StackConfig,
  type StackInfo,
} from '../stack';
import { isPortFree } from '../stack/prerequisites';
import { stopProcessGroup } from '../stack/process/processes';

/** AppSpec is one app to run: its name, ports and the variables the launcher adds to the environment. */
export interface AppSpec {
  name: string;
  ports: number[];
  env: Record<string, string>;
}

/** appSpecs lists the six services then the gateway (it calls them), with each one's environment. */
export function appSpecs(config: StackConfig, info: StackInfo, env: NodeJS.ProcessEnv = process.env): AppSpec[] {
  const shared: Record<string, string> = {
    // Local runs stay on the loopback interface unless the developer says otherwise.
    GRPC_HOST: env['GRPC_HOST'] || config.host,
    KAFKA_BROKERS: info.kafkaBrokers.join(','),
    ...Object.fromEntries(services.map((s) => [serviceAddrVar(s.name), `${config.host}:${s.grpcPort}`])),
  };
  const serviceApps = services.map((s) => ({
    name: s.name,
    ports: [s.grpcPort, s.adminPort],
    env: {
      ...shared,
      GRPC_PORT: String(s.grpcPort),
      ADMIN_PORT: String(s.adminPort),
      DATABASE_URL: info.databaseUrls[s.name],
      // auth generates its dev-only signing keys here on first start, so tokens outlive restarts; production keys
      // come from AUTH_JWT_PRIVATE_KEYS, which passes through from the environment and takes precedence in auth.
      ...(s.name === 'auth' ? { AUTH_DEV_KEYS_DIR: join(config.stackDir, 'auth-keys') } : {}),
    },
  }));
  const gatewayApp = {
    name: gateway.name,
    ports: [gateway.grpcPort, gateway.adminPort, config.ports.gateway],
    env: {
      ...shared,
      GRPC_PORT: String(gateway.grpcPort),
      ADMIN_PORT: String(gateway.adminPort),
      GATEWAY_PORT: String(config.ports.gateway),
    },
  };
  return [...serviceApps, gatewayApp];
}

/** hasSource tells whether an app has an entry point to build (apps are being written one by one). */
export const hasSource = (config: StackConfig, app: string): boolean =>
  existsSync(join(config.repoRoot, 'apps', app, 'src', 'main.ts'));

/** buildApps runs `nx run-many -t build` for the given apps (and, through Nx, the libraries they use). */
export function buildApps(config: StackConfig, apps: string[]): boolean {
  if (apps.length === 0) return true;
  const nx = require.resolve('nx/bin/nx.js', { paths: [config.repoRoot] });
  const projects = apps.map((app) => (app === gateway.name ? 'api-gateway' : app));
  const result = spawnSync(process.execPath, [nx, 'run-many', '-t', 'build', `--projects=${projects.join(',')}`, '--outputStyle=stream'], {
    cwd: config.repoRoot,
    stdio: 'inherit',
    env: process.env,
  });
  return result.status === 0;
}

/** requireAppPortsFree fails with one line when another process holds an app's port. */
export async function requireAppPortsFree(apps: AppSpec[]): Promise<void> {
  for (const app of apps) {
    for (const port of app.ports) {
      if (!(await isPortFree(port))) {
        throw new StackError(`port ${port} (${app.name}) is in use by another process: stop it (npm run stack:down stops old apps too)`);
      }
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
 * which then stops the apps in order) and prints its output line by line behind a `[name]` prefix.
 */
export function startApp(config: StackConfig, spec: AppSpec, prefix: string): RunningApp {
  const child = spawn(process.execPath, [appEntry(config, spec.name)], {
    cwd: join(config.repoRoot, 'apps', spec.name),
    env: { ...process.env, ...spec.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pidFile = appPidFile(config, spec.name);
  if (child.pid !== undefined) writeFileSync(pidFile, `${child.pid}\n`);
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', (line) => process.stdout.write(`${prefix} ${line}\n`));
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
    log(`${app.spec.name} ${outcome === 'killed' ? 'killed after the shutdown timeout' : 'stopped'} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  }
}
