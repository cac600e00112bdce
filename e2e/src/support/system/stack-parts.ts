// Stopping and starting single parts of a running local stack (the broker JVM, the Connect worker), for fault
// injection. tools/stack only brings the whole stack up or down; these are built on its lower-level functions and
// are candidates to move there (stopKafka/startKafka/restartConnect).
import {
  brokerPid,
  connectClient,
  ensureJarCache,
  loadConnectorDefinition,
  loadOrCreateSecrets,
  prepareBroker,
  requireJava,
  startBroker,
  startWorker,
  stopBroker,
  stopWorker,
  waitForBroker,
  waitForWorker,
  workerPid,
  type StackConfig,
} from '../tooling';

/** PartOutcome says what a stop did and how long it took. */
export interface PartOutcome {
  outcome: string;
  ms: number;
}

const timed = async (action: () => Promise<string>): Promise<PartOutcome> => {
  const started = Date.now();
  const outcome = await action();
  return { outcome, ms: Date.now() - started };
};

/** stopKafka stops the broker JVM (controlled shutdown on SIGTERM, SIGKILL after 30 s). */
export const stopKafka = (config: StackConfig): Promise<PartOutcome> => timed(() => stopBroker(config));

/** startKafka starts the broker again on its existing storage and waits until it answers metadata requests. */
export function startKafka(config: StackConfig): Promise<PartOutcome> {
  return timed(async () => {
    if (brokerPid(config) !== undefined) return 'already running';
    const { cache } = ensureJarCache(config);
    const java = requireJava();
    const secrets = loadOrCreateSecrets(config.secretsFile);
    prepareBroker(config, cache, java, secrets);
    await waitForBroker(config, secrets, startBroker(config, cache, java));
    return 'started';
  });
}

/** stopConnect stops the Connect worker (its tasks stop and it leaves the group). */
export const stopConnect = (config: StackConfig): Promise<PartOutcome> => timed(() => stopWorker(config));

/**
 * startConnect starts the worker and waits until the outbox connector and its task run again: the connector's
 * config and source offsets live in Kafka, so the worker resumes where it stopped without re-registration.
 */
export function startConnect(config: StackConfig): Promise<PartOutcome> {
  return timed(async () => {
    if (workerPid(config) === undefined) {
      const { cache } = ensureJarCache(config);
      const secrets = loadOrCreateSecrets(config.secretsFile);
      await waitForWorker(config, startWorker(config, cache, requireJava(), secrets));
    }
    const { name } = loadConnectorDefinition(config.connectorFile);
    await connectClient(config).waitUntilRunning(name, { timeoutMs: 90_000 });
    return 'started';
  });
}
