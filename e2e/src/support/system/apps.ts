// The seven apps as the suite runs them: `npm start`'s specs (tools/start/apps.ts), optionally moved to other ports,
// plus the settings an end-to-end run needs; each app runs detached in its own process group with its output in
// a log file (not the test output), so a test can stop, SIGKILL and start one while the others keep running.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  appEntry,
  appPidFile,
  isPortFree,
  type AppSpec,
  type RunningApp,
  type StackConfig,
} from '../tooling';

/** e2eEnv is what the suite adds to every app's environment (its many sign-ups come from one address). */
export const e2eEnv: Record<string, string> = {
  GATEWAY_RATE_LIMIT_PER_MINUTE: '100000',
  GATEWAY_AUTH_RATE_LIMIT_PER_MINUTE: '100000',
  // A shorter half-open wait keeps the breaker scenario short; the thresholds stay the defaults.
  BREAKER_RESET_TIMEOUT_MS: '3000',
  LOG_LEVEL: 'info',
};

const portVars = ['GRPC_PORT', 'ADMIN_PORT', 'GATEWAY_PORT'];

/** shiftPorts moves every port of the specs (their own and the addresses they call) by `offset`. */
export function shiftPorts(specs: readonly AppSpec[], offset: number): AppSpec[] {
  if (offset === 0) return specs.map((spec) => ({ ...spec, env: { ...spec.env } }));
  const shift = (port: number) => {
    const moved = port + offset;
    if (moved < 1 || moved > 65535)
      throw new Error(`E2E_PORT_OFFSET=${offset} moves port ${port} out of range`);
    return moved;
  };
  return specs.map((spec) => ({
    name: spec.name,
    instance: spec.instance,
    ports: spec.ports.map(shift),
    env: Object.fromEntries(
      Object.entries(spec.env).map(([name, value]) => {
        if (portVars.includes(name)) return [name, String(shift(Number(value)))];
        if (name.endsWith('_SERVICE_ADDR')) {
          // host:port[,host:port...]: every instance of the service moves.
          return [name, value.replace(/:(\d+)(?=,|$)/g, (_, port: string) => `:${shift(Number(port))}`)];
        }
        return [name, value];
      }),
    ),
  }));
}

/** gatewayPort is the REST port of the gateway spec. */
export const gatewayPort = (specs: readonly AppSpec[]): number =>
  Number(specs.find((spec) => spec.name === 'api-gateway')?.env['GATEWAY_PORT']);

/** busyPorts lists the ports of the specs that another process holds. */
export async function busyPorts(specs: readonly AppSpec[]): Promise<number[]> {
  const ports = specs.flatMap((spec) => spec.ports);
  const free = await Promise.all(ports.map((port) => isPortFree(port)));
  return ports.filter((_, i) => !free[i]);
}

/**
 * choosePorts keeps the default ports when they are free; otherwise the explicit E2E_PORT_OFFSET, or the first of
 * +1000, +2000, +3000 where every port is free.
 */
export async function choosePorts(
  specs: readonly AppSpec[],
  explicitOffset: number | undefined,
  log: (line: string) => void,
): Promise<AppSpec[]> {
  const candidates = explicitOffset !== undefined ? [explicitOffset] : [0, 1000, 2000, 3000];
  for (const offset of candidates) {
    const shifted = shiftPorts(specs, offset);
    const busy = await busyPorts(shifted);
    if (busy.length === 0) {
      if (offset !== 0) log(`app ports moved by ${offset} (gateway on ${gatewayPort(shifted)})`);
      return shifted;
    }
    log(`ports ${busy.join(', ')} are taken${offset === 0 ? '' : ` at offset ${offset}`}`);
  }
  throw new Error('no free set of app ports: stop what holds them or set E2E_PORT_OFFSET');
}

/** appLogFile is where an app's output goes during a run. */
export const appLogFile = (logDir: string, name: string): string => join(logDir, `${name}.log`);

/**
 * launchApp runs `node apps/<name>/dist/main.js` like `npm start` does (Node 24 = this process's node, detached
 * group, pid file so `npm run stack:down` stops leftovers), appending its output to its log file.
 */
export function launchApp(
  config: StackConfig,
  spec: AppSpec,
  logDir: string,
  instance = spec.instance,
): RunningApp {
  mkdirSync(logDir, { recursive: true });
  const out = openSync(appLogFile(logDir, instance), 'a');
  try {
    const child = spawn(process.execPath, [appEntry(config, spec.name)], {
      cwd: join(config.repoRoot, 'apps', spec.name),
      env: { ...process.env, ...spec.env },
      detached: true,
      stdio: ['ignore', out, out],
    });
    const pidFile = appPidFile(config, instance);
    if (child.pid !== undefined) writeFileSync(pidFile, `${child.pid}\n`);
    const exited = new Promise<number | null>((resolve) => {
      child.once('exit', (code) => {
        rmSync(pidFile, { force: true });
        resolve(code);
      });
      child.once('error', () => resolve(null));
    });
    return { spec, child, exited };
  } finally {
    closeSync(out);
  }
}

/** replicaSpec is a second gateway: its own ports moved by `shift`, the same downstream addresses, extra env. */
export function replicaSpec(gatewaySpec: AppSpec, shift: number, env: Record<string, string>): AppSpec {
  const moved = (name: string) => String(Number(gatewaySpec.env[name]) + shift);
  return {
    name: gatewaySpec.name,
    instance: `${gatewaySpec.name}.replica`,
    ports: gatewaySpec.ports.map((port) => port + shift),
    env: {
      ...gatewaySpec.env,
      ADMIN_PORT: moved('ADMIN_PORT'),
      GATEWAY_PORT: moved('GATEWAY_PORT'),
      ...env,
    },
  };
}
