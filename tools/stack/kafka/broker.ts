// The single-node KRaft broker: properties rendered from deploy/local/broker.properties, storage formatted once
// with kafka.tools.StorageTool (still in kafka_2.13 in Kafka 4.3), then kafka.Kafka in the background.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { StackConfig } from '../config';
import { StackError } from '../errors';
import { consoleFile, javaArgs, logFile } from '../jvm/java';
import type { JarCache } from '../jvm/jar-cache';
import { runningPid, startDetached, stopProcessGroup, type Detached } from '../process/processes';
import { writeRendered } from '../templates';
import { stackKafkaUsers, type StackSecrets } from '../secrets';
import { connectAdmin } from './admin';
import { adminSasl, createdUsers, recordUsers, scramFormatArgs } from './security';

/** brokerPaths locates the broker's files. */
export function brokerPaths(config: StackConfig) {
  return {
    dataDir: join(config.kafkaDir, 'data'),
    propertiesFile: join(config.kafkaDir, 'server.properties'),
    clusterIdFile: join(config.kafkaDir, 'cluster-id'),
    pidFile: join(config.runDir, 'kafka.pid'),
  };
}

/** brokerList is the bootstrap address clients use. */
export const brokerList = (config: StackConfig): string[] => [`${config.host}:${config.ports.kafka}`];

/**
 * prepareBroker renders the properties (they hold the admin password: owner-only) and formats the storage on first
 * start, with every SCRAM user of the stack.
 */
export function prepareBroker(
  config: StackConfig,
  cache: JarCache,
  java: string,
  secrets: StackSecrets,
): void {
  const paths = brokerPaths(config);
  writeRendered(join(config.deployDir, 'broker.properties'), paths.propertiesFile, {
    kafkaPort: config.ports.kafka,
    controllerPort: config.ports.controller,
    dataDir: paths.dataDir,
    adminPassword: adminSasl(secrets).password,
  });
  chmodSync(paths.propertiesFile, 0o600);
  if (existsSync(join(paths.dataDir, 'meta.properties'))) {
    // Storage formatted before the broker had users: nobody could sign in, and Kafka cannot add the super user to
    // formatted storage. The stack's data is dev data: start it afresh once.
    if (createdUsers(config) === undefined) {
      throw new StackError(
        `the Kafka storage in ${paths.dataDir} predates Kafka authentication: run \`npm run stack:up -- --fresh\` once (it wipes the stack's data, never the jar cache)`,
      );
    }
    return;
  }
  mkdirSync(paths.dataDir, { recursive: true });
  if (!existsSync(paths.clusterIdFile)) writeFileSync(paths.clusterIdFile, `${newClusterId()}\n`);
  const clusterId = readFileSync(paths.clusterIdFile, 'utf8').trim();
  const out = openSync(consoleFile(config, 'kafka-storage'), 'w');
  try {
    const result = spawnSync(
      java,
      javaArgs(config, cache, 'kafka-storage', 'kafka.tools.StorageTool', [
        'format',
        '-t',
        clusterId,
        '-c',
        paths.propertiesFile,
        '--ignore-formatted',
        ...scramFormatArgs(secrets),
      ]),
      { stdio: ['ignore', out, out], env: process.env },
    );
    if (result.error || result.status !== 0) {
      throw new StackError(
        `Kafka storage format failed (exit ${result.status}): see ${consoleFile(config, 'kafka-storage')}`,
      );
    }
  } finally {
    closeSync(out);
  }
  recordUsers(config, stackKafkaUsers());
}

/** newClusterId makes a KRaft cluster id: 16 random bytes, URL-safe base64 without padding (like Uuid.randomUuid). */
export const newClusterId = (): string => randomBytes(16).toString('base64url');

/** startBroker starts kafka.Kafka in the background. */
export function startBroker(config: StackConfig, cache: JarCache, java: string): Detached {
  const paths = brokerPaths(config);
  return startDetached({
    command: java,
    args: javaArgs(config, cache, 'kafka', 'kafka.Kafka', [paths.propertiesFile]),
    env: process.env,
    cwd: config.kafkaDir,
    logFile: consoleFile(config, 'kafka'),
    pidFile: paths.pidFile,
  });
}

/** brokerPid returns our running broker's pid. */
export const brokerPid = (config: StackConfig): number | undefined =>
  runningPid(brokerPaths(config).pidFile, logFile(config, 'kafka'));

/** waitForBroker resolves once the broker answers metadata requests with itself registered. */
export async function waitForBroker(
  config: StackConfig,
  secrets: StackSecrets,
  started: Detached | undefined,
  timeoutMs = 90_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void started?.exited.then(() => (exited = true));
  for (;;) {
    try {
      const admin = await connectAdmin(brokerList(config), adminSasl(secrets));
      try {
        const cluster = await admin.describeCluster();
        if (cluster.brokers.length > 0) return;
      } finally {
        await admin.disconnect();
      }
    } catch (error) {
      if (exited) throw new StackError(`Kafka exited during start-up: see ${logFile(config, 'kafka')}`);
      if (Date.now() > deadline) {
        throw new StackError(
          `Kafka not ready after ${timeoutMs / 1000} s (${(error as Error).message}): see ${logFile(config, 'kafka')}`,
        );
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** stopBroker stops the broker (controlled shutdown on SIGTERM), then escalates. */
export async function stopBroker(config: StackConfig): Promise<'stopped' | 'killed' | 'gone'> {
  const pid = brokerPid(config);
  if (pid === undefined) return 'gone';
  const outcome = await stopProcessGroup(pid, { signal: 'SIGTERM', timeoutMs: 30_000 });
  rmSync(brokerPaths(config).pidFile, { force: true });
  return outcome;
}
