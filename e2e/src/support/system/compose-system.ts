// Compose mode (E2E_ENV=compose): the whole system from deploy/docker-compose.yml through testcontainers'
// DockerComposeEnvironment. Where no Docker engine answers (a host with only the docker client), the run is
// reported as skipped with the reason: nothing here pretends to have run.
import { execFile } from 'node:child_process';
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
    .up();
  return {
    system: {
      baseUrl: `http://127.0.0.1:${gatewayPort}`,
      kafkaBrokers: [`127.0.0.1:${process.env['KAFKA_PORT'] || 9092}`],
      control: composeControl(),
      stop: async () => {
        await environment.down({ removeVolumes: true });
      },
    },
  };
}

/** composeControl controls the compose project's containers with the docker client. */
function composeControl(): ProcessControl {
  const compose = async (...args: string[]): Promise<ControlResult> => {
    const started = Date.now();
    await run('docker', ['compose', '-p', projectName, '-f', join(deployDir, composeFile), ...args]);
    return { outcome: args[0] ?? '', ms: Date.now() - started };
  };
  const startHealthy = (service: string) => compose('up', '-d', '--no-deps', '--wait', service);
  return {
    stopApp: (app: AppName) => compose('stop', app),
    killApp: (app: AppName) => compose('kill', '-s', 'SIGKILL', app),
    startApp: (app: AppName) => startHealthy(app),
    stopKafka: () => compose('stop', 'kafka'),
    startKafka: () => startHealthy('kafka'),
    stopConnect: () => compose('stop', 'connect'),
    startConnect: () => startHealthy('connect'),
    startGatewayReplica: async () => {
      throw new Error('a second gateway replica is not part of the compose file');
    },
    stopGatewayReplica: async () => ({ outcome: 'not running', ms: 0 }),
    // Compose scales with `--scale`, but kill and start here act on every container of a service at once.
    startServiceReplicas: async () => {
      throw new Error(
        'per-replica control is not part of the compose mode (docker compose kill acts on all replicas)',
      );
    },
    stopServiceReplicas: async () => ({ outcome: 'not running', ms: 0 }),
  };
}
