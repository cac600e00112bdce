// The Kafka Connect distributed worker: properties rendered from deploy/local/connect-distributed.properties,
// started as org.apache.kafka.connect.cli.ConnectDistributed, ready when GET /health says healthy.
import { chmodSync, rmSync } from 'node:fs';
import { DEBEZIUM_KAFKA_USER } from '@blog/catalog';
import { join } from 'node:path';
import { createKafkaConnectClient, type KafkaConnectClient } from '@blog/kafka-connect';
import type { StackConfig } from '../config';
import { StackError } from '../errors';
import { consoleFile, javaArgs, logFile } from '../jvm/java';
import type { JarCache } from '../jvm/jar-cache';
import { replicationRole } from '../postgres/bootstrap';
import { runningPid, startDetached, stopProcessGroup, type Detached } from '../process/processes';
import type { StackSecrets } from '../secrets';
import { kafkaSasl } from '../kafka/security';
import { writeRendered } from '../templates';

/** connectUrl is the worker's REST address. */
export const connectUrl = (config: StackConfig): string => `http://${config.host}:${config.ports.connect}`;

/** connectClient returns a client of the stack's worker. */
export const connectClient = (config: StackConfig): KafkaConnectClient =>
  createKafkaConnectClient({ url: connectUrl(config) });

const pidFile = (config: StackConfig) => join(config.runDir, 'connect.pid');

/**
 * connectorEnv is what the connector config's ${env:DEBEZIUM_PG_*} placeholders resolve to in this stack
 * (compose and Kubernetes set the same variables on their Connect containers).
 */
export function connectorEnv(config: StackConfig, secrets: StackSecrets): Record<string, string> {
  return {
    DEBEZIUM_PG_HOST: config.host,
    DEBEZIUM_PG_PORT: String(config.ports.postgres),
    DEBEZIUM_PG_USER: replicationRole,
    DEBEZIUM_PG_PASSWORD: secrets.debezium,
    DEBEZIUM_PG_DBNAME: config.database,
  };
}

/** startWorker renders the worker properties and starts the worker in the background. */
export function startWorker(
  config: StackConfig,
  cache: JarCache,
  java: string,
  secrets: StackSecrets,
): Detached {
  const propertiesFile = join(config.connectDir, 'worker.properties');
  writeRendered(join(config.deployDir, 'connect-distributed.properties'), propertiesFile, {
    kafkaPort: config.ports.kafka,
    connectPort: config.ports.connect,
    pluginPath: cache.pluginPath,
    kafkaUser: DEBEZIUM_KAFKA_USER,
    kafkaPassword: kafkaSasl(secrets, DEBEZIUM_KAFKA_USER).password,
  });
  // The rendered file holds the worker's Kafka password: owner-only, like secrets.json.
  chmodSync(propertiesFile, 0o600);
  return startDetached({
    command: java,
    args: javaArgs(config, cache, 'connect', 'org.apache.kafka.connect.cli.ConnectDistributed', [
      propertiesFile,
    ]),
    env: { ...process.env, ...connectorEnv(config, secrets) },
    cwd: config.connectDir,
    logFile: consoleFile(config, 'connect'),
    pidFile: pidFile(config),
  });
}

/** workerPid returns our running worker's pid. */
export const workerPid = (config: StackConfig): number | undefined =>
  runningPid(pidFile(config), logFile(config, 'connect'));

/** waitForWorker resolves once /health says healthy; fails early if the worker process dies. */
export async function waitForWorker(
  config: StackConfig,
  started: Detached | undefined,
  timeoutMs = 120_000,
): Promise<void> {
  const health = connectClient(config)
    .waitUntilHealthy({ timeoutMs, intervalMs: 200 })
    .then(
      () => 'healthy' as const,
      (error: Error) => error,
    );
  const died = started?.exited.then(() => 'died' as const);
  const result = await Promise.race(died ? [health, died] : [health]);
  if (result === 'died')
    throw new StackError(`Kafka Connect exited during start-up: see ${logFile(config, 'connect')}`);
  if (result instanceof Error) {
    throw new StackError(`Kafka Connect not healthy (${result.message}): see ${logFile(config, 'connect')}`);
  }
}

/** stopWorker stops the worker (it stops its tasks and leaves the group on SIGTERM), then escalates. */
export async function stopWorker(config: StackConfig): Promise<'stopped' | 'killed' | 'gone'> {
  const pid = workerPid(config);
  if (pid === undefined) return 'gone';
  const outcome = await stopProcessGroup(pid, { signal: 'SIGTERM', timeoutMs: 30_000 });
  rmSync(pidFile(config), { force: true });
  return outcome;
}
