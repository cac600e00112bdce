// Compose mode (E2E_ENV=compose): the whole system from deploy/docker-compose.yml through testcontainers'
// DockerComposeEnvironment. Where no Docker engine answers (a host with only the docker client), the run is
// reported as skipped with the reason: nothing here pretends to have run.
import { kafkaPasswordVar, TOOLS_KAFKA_USER } from '@blog/catalog';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { AppName, ControlResult, ProcessControl } from '../control/process-control';
import { e2eEnv } from './apps';
import type { RunningSystem } from './system';

const run = promisify(execFile);
const deployDir = resolve(__dirname, '..', '..', '..', '..', 'deploy');
const composeFile = 'docker-compose.yml';
const projectName = 'blog-e2e';

/** ComposeStart is either a running system or the reason it cannot run here. */
export type ComposeStart = { system: RunningSystem } | { skipReason: string };

/** dockerEngineProblem returns why no Docker engine can be used, or undefined when one answers. */
export async function dockerEngineProblem(): Promise<string | undefined> {
  const { getContainerRuntimeClient } = await import('testcontainers');
  try {
    const client = await getContainerRuntimeClient();
    return client.info.containerRuntime.serverVersion
      ? undefined
      : 'the container runtime reports no engine version';
  } catch (error) {
    return `no Docker engine answers on this host (${(error as Error).message.split('\n')[0]})`;
  }
}

/** startComposeSystem builds and starts the compose project and waits for the gateway's readiness. */
export async function startComposeSystem(log: (line: string) => void): Promise<ComposeStart> {
  const problem = await dockerEngineProblem();
  if (problem) return { skipReason: problem };
  const { DockerComposeEnvironment, Wait } = await import('testcontainers');
  const gatewayPort = Number(process.env['GATEWAY_PORT'] || 8080);
  log(`compose: building and starting ${join(deployDir, composeFile)} as project ${projectName}`);
  const environment = await new DockerComposeEnvironment(deployDir, composeFile)
    .withProjectName(projectName)
    .withBuild()
    .withEnvironment(e2eEnv)
    .withWaitStrategy('api-gateway-1', Wait.forHttp('/readyz', 8080).forStatusCode(200))
    .withStartupTimeout(600_000)
    .up()
    .catch(async (error: unknown) => {
      // A container that never got healthy: its log says why, and the fallback cleanup removes it afterwards.
      await saveComposeLogs(log);
      throw error;
    });
  const control = composeControl(gatewayPort);
  return {
    system: {
      baseUrl: `http://127.0.0.1:${gatewayPort}`,
      kafkaBrokers: [`127.0.0.1:${process.env['KAFKA_PORT'] || 9092}`],
      // The tools' Kafka user of deploy/docker-compose.yml (its password as compose has it: deploy/.env or the default).
      kafkaSasl: {
        mechanism: 'scram-sha-512',
        username: TOOLS_KAFKA_USER,
        password: process.env[kafkaPasswordVar(TOOLS_KAFKA_USER)] || `dev-only-${TOOLS_KAFKA_USER}`,
      },
      control,
      stop: async () => {
        await control.stopGatewayReplica();
        await saveComposeLogs(log);
        await environment.down({ removeVolumes: true, timeout: 20_000 });
      },
    },
  };
}

/**
 * saveComposeLogs writes every container's log (timestamps, all services) to .stack/logs/e2e/compose.log (beside
 * the local mode's app logs) before the project is removed: afterwards nothing is left to read when a file failed.
 * Best effort: a failure to save is only said.
 */
async function saveComposeLogs(log: (line: string) => void): Promise<void> {
  const dir = join(process.env['STACK_DIR'] || join(deployDir, '..', '.stack'), 'logs', 'e2e');
  const file = join(dir, 'compose.log');
  try {
    mkdirSync(dir, { recursive: true });
    const { stdout } = await run(
      'docker',
      [
        'compose',
        '-p',
        projectName,
        '-f',
        join(deployDir, composeFile),
        'logs',
        '--no-color',
        '--timestamps',
      ],
      { env: { ...process.env, ...e2eEnv }, maxBuffer: 512 * 1024 * 1024 },
    );
    writeFileSync(file, stdout);
    log(`compose: every container's log is in ${file}`);
  } catch (error) {
    log(`compose: could not save the containers' logs (${(error as Error).message.split('\n')[0]})`);
  }
}

/** replicaName is the container of the second gateway (`docker compose run`), the one compose knows nothing of. */
const replicaName = `${projectName}-api-gateway-replica`;

/** waitForReady polls url until it answers 200, for at most timeoutMs. */
async function waitForReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms (${last})`);
}

/** composeControl controls the compose project's containers with the docker client. */
function composeControl(gatewayPort: number): ProcessControl {
  // The same variables as the suite's `up` (e2eEnv), so compose sees an unchanged configuration and only starts or
  // stops: a different interpolation would recreate the container.
  const env = { ...process.env, ...e2eEnv };
  const compose = async (...args: string[]): Promise<ControlResult> => {
    const started = Date.now();
    await run('docker', ['compose', '-p', projectName, '-f', join(deployDir, composeFile), ...args], { env });
    return { outcome: args[0] ?? '', ms: Date.now() - started };
  };
  // +7 as in local mode: clear of the gateway's own published port.
  const replicaPort = gatewayPort + 7;
  let replicaRunning = false;
  const startHealthy = (service: string) => compose('up', '-d', '--no-deps', '--wait', service);
  return {
    stopApp: (app: AppName) => compose('stop', app),
    killApp: (app: AppName) => compose('kill', '-s', 'SIGKILL', app),
    startApp: (app: AppName) => startHealthy(app),
    stopKafka: () => compose('stop', 'kafka'),
    startKafka: () => startHealthy('kafka'),
    stopConnect: () => compose('stop', 'connect'),
    startConnect: () => startHealthy('connect'),
    // A second gateway from the same service definition, started beside the compose file's one (`compose run`,
    // its own published port), whose account-status cache trusts ACTIVE for 10 minutes, as in local mode.
    startGatewayReplica: async () => {
      const url = `http://127.0.0.1:${replicaPort}`;
      if (replicaRunning) return { outcome: 'already running', ms: 0, url };
      const result = await compose(
        'run',
        '-d',
        '--no-deps',
        '--name',
        replicaName,
        '-e',
        'ACCOUNT_STATUS_TTL_MS=600000',
        '-p',
        `127.0.0.1:${replicaPort}:8080`,
        'api-gateway',
      );
      replicaRunning = true;
      await waitForReady(`${url}/readyz`, 60_000);
      return { outcome: 'started', ms: result.ms, url };
    },
    stopGatewayReplica: async () => {
      if (!replicaRunning) return { outcome: 'not running', ms: 0 };
      const started = Date.now();
      replicaRunning = false;
      await run('docker', ['rm', '-f', replicaName], { env });
      return { outcome: 'removed', ms: Date.now() - started };
    },
    // Compose scales with `--scale`, but kill and start here act on every container of a service at once.
    startServiceReplicas: async () => {
      throw new Error(
        'per-replica control is not part of the compose mode (docker compose kill acts on all replicas)',
      );
    },
    stopServiceReplicas: async () => ({ outcome: 'not running', ms: 0 }),
  };
}
