// The connector watchdog: looks at the outbox connector every few seconds (Connect's REST status, the replication
// slot in PostgreSQL, whether Kafka accepts connections), lets watchdog-policy.ts decide, and performs the remedy,
// one log line per action. The local stack runs it as one of its parts (`stack:up` starts it, `stack:down` stops
// it, `stack:status` shows it); its pid is .stack/run/watchdog.pid and its log .stack/logs/watchdog.log.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as tcpConnect } from 'node:net';
import { join } from 'node:path';
import { Client, type ClientConfig } from 'pg';
import { createKafkaConnectClient, type KafkaConnectClient } from '@blog/kafka-connect';
import { repoRoot, type StackConfig } from '../config';
import { ensureJarCache } from '../jvm/jar-cache';
import { brokerList } from '../kafka/broker';
import { withStackLock } from '../lock';
import { adminClientConfig } from '../postgres/cluster';
import { requireJava } from '../prerequisites';
import { runningPid, startDetached, stopProcessGroup, type Detached } from '../process/processes';
import { loadOrCreateSecrets, readSecrets } from '../secrets';
import { loadConnectorDefinition } from './connector';
import {
  acted,
  decide,
  defaultWatchdogSettings,
  initialState,
  parseLsn,
  type ConnectorState,
  type Decision,
  type Observation,
  type WatchdogSettings,
} from './watchdog-policy';
import { connectUrl, startWorker, stopWorker, waitForWorker, workerPid } from './worker';

/** WatchdogTarget is what the watchdog looks at and how it acts: the local stack, or a deployment's services. */
export interface WatchdogTarget {
  connector: string;
  slot: string;
  connect: KafkaConnectClient;
  /** pg connects as a role that may read pg_replication_slots and terminate the slot's walsender. */
  pg: ClientConfig;
  brokers: string[];
  /** workerId identifies the running worker (a pid locally); undefined when the worker process is not running. */
  workerId(): string | undefined;
  /**
   * ownsProcess: workerId reflects the worker process itself (locally, its pid), so a worker whose REST API hangs
   * still counts as running and can be judged by its slot. After a long outage the worker's REST API hangs for a
   * minute and more (its herder waits for the task's stop); elsewhere only an answering worker counts.
   */
  ownsProcess?: boolean;
  /** restartWorker replaces the worker process (locally: stop and start it); absent where an orchestrator does it. */
  restartWorker?: () => Promise<string>;
}

/** observe takes one look at the pipeline; anything that does not answer is reported as down or unknown. */
export async function observe(target: WatchdogTarget, at = Date.now()): Promise<Observation> {
  const workerId = target.workerId();
  const [health, status, slot, kafkaUp] = await Promise.all([
    workerId === undefined ? undefined : target.connect.health().catch(() => undefined),
    workerId === undefined
      ? undefined
      : target.connect.status(target.connector).catch((error: Error) => error),
    readSlot(target.pg, target.slot).catch(() => undefined),
    anyReachable(target.brokers),
  ]);
  const workerUp = workerId !== undefined && (health !== undefined || target.ownsProcess === true);
  let connector: Observation['connector'];
  if (status instanceof Error) {
    // Not registered (404) leaves nothing to watch; any other error (a rebalance, a timeout) is "unknown".
    connector = /not found/i.test(status.message) ? undefined : { state: 'UNKNOWN', tasks: [] };
  } else if (status) {
    connector = {
      state: status.connector.state as ConnectorState,
      tasks: status.tasks.map((t) => t.state as ConnectorState),
    };
  }
  return { at, workerUp, workerId, kafkaUp, connector, slot };
}

async function readSlot(pg: ClientConfig, slot: string): Promise<Observation['slot']> {
  const client = new Client({ ...pg, connectionTimeoutMillis: 3_000, statement_timeout: 3_000 });
  await client.connect();
  try {
    const { rows } = await client.query<{
      active: boolean;
      active_pid: number | null;
      confirmed: string | null;
      wal: string;
    }>(
      `select active, active_pid, confirmed_flush_lsn::text as confirmed, pg_current_wal_lsn()::text as wal
         from pg_replication_slots where slot_name = $1`,
      [slot],
    );
    const row = rows[0];
    if (!row?.confirmed) return undefined;
    return {
      active: row.active,
      activePid: row.active_pid,
      confirmedLsn: parseLsn(row.confirmed),
      walLsn: parseLsn(row.wal),
    };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** anyReachable tells whether any broker accepts a TCP connection within a second. */
async function anyReachable(brokers: string[]): Promise<boolean> {
  const one = (address: string) =>
    new Promise<boolean>((resolve) => {
      const at = address.lastIndexOf(':');
      const socket = tcpConnect({
        host: address.slice(0, at),
        port: Number(address.slice(at + 1)),
        timeout: 1_000,
      });
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket
        .once('connect', () => done(true))
        .once('timeout', () => done(false))
        .once('error', () => done(false));
    });
  return (await Promise.all(brokers.map(one))).some(Boolean);
}

/**
 * remedy performs a decided action and returns what it did, in words. Terminating the slot's walsender first frees
 * the slot for the restarted task: its holder belongs to a task that delivers nothing (DBZ-9617's orphan).
 */
export async function remedy(
  target: WatchdogTarget,
  decision: Extract<Decision, { kind: 'act' }>,
): Promise<string> {
  const done: string[] = [];
  if (decision.terminatePid !== undefined) {
    const terminated = await terminateBackend(target.pg, decision.terminatePid, target.slot);
    done.push(
      terminated
        ? `terminated walsender pid ${decision.terminatePid}`
        : `walsender pid ${decision.terminatePid} already gone`,
    );
  }
  if (decision.remedy === 'restart-worker' && target.restartWorker) {
    done.push(await target.restartWorker());
  } else {
    // Also where an orchestrator owns the worker: the liveness answer (needsNewWorker) makes it replace the worker.
    await target.connect.restart(target.connector, { includeTasks: true, onlyFailed: false });
    done.push(`restarted ${target.connector} and its tasks (REST, includeTasks)`);
  }
  return done.join('; ');
}

async function terminateBackend(pg: ClientConfig, pid: number, slot: string): Promise<boolean> {
  const client = new Client({ ...pg, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    // Only while that pid still holds our slot: a pid seen a moment ago may belong to a new walsender by now.
    const { rows } = await client.query<{ terminated: boolean }>(
      `select pg_terminate_backend(active_pid) as terminated from pg_replication_slots where slot_name = $1 and active_pid = $2`,
      [slot, pid],
    );
    return rows[0]?.terminated === true;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** WatchdogRun controls a running loop. */
export interface WatchdogRun {
  /** last is the latest decision. */
  last(): Decision | undefined;
  /**
   * needsNewWorker is the liveness verdict where an orchestrator owns the worker: true from the moment the ladder
   * reached restart-worker (and the target cannot do it itself) until the connector streams again.
   */
  needsNewWorker(): boolean;
  stop(): Promise<void>;
}

/** runWatchdog observes every `intervalMs`, decides, acts, and logs one line per action or change of verdict. */
export function runWatchdog(
  target: WatchdogTarget,
  options: { intervalMs?: number; settings?: WatchdogSettings; log?: (line: string) => void } = {},
): WatchdogRun {
  const {
    intervalMs = 5_000,
    settings = defaultWatchdogSettings,
    log = (line) => console.log(line),
  } = options;
  let state = initialState(Date.now(), settings);
  let last: Decision | undefined;
  let needsNewWorker = false;
  let stopped = false;
  let wake: () => void = () => undefined;
  const say = (line: string) => log(`${new Date().toISOString()} ${line}`);
  const loop = (async () => {
    say(
      `watching connector ${target.connector} (slot ${target.slot}) every ${intervalMs} ms; stall ${settings.stallMs} ms, grace ${settings.graceMs} ms`,
    );
    while (!stopped) {
      await look().catch((error: Error) => say(`look failed: ${error.message}`));
      if (stopped) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, intervalMs);
      });
    }
  })();
  async function look(): Promise<void> {
    const obs = await observe(target);
    const next = decide(state, obs, settings);
    state = next.state;
    const decision = next.decision;
    // One line when the verdict changes, not one per look: the log stays readable over days.
    const gist = (d: Decision | undefined) => d && `${d.kind} ${d.stuck} ${d.reason.replace(/\d+/g, '#')}`;
    if (decision.kind !== 'act' && gist(last) !== gist(decision)) {
      say(`${decision.kind}${decision.stuck ? ' (stuck)' : ''}: ${decision.reason}`);
    }
    last = decision;
    if (decision.kind === 'ok') needsNewWorker = false;
    if (decision.kind === 'act' && decision.remedy === 'restart-worker' && !target.restartWorker) {
      needsNewWorker = true;
      say(
        'not streaming after a connector restart: the liveness answer fails from now on, so the orchestrator replaces the worker',
      );
    }
    if (decision.kind === 'act') {
      say(`not streaming: ${decision.reason}; remedy ${decision.remedy}`);
      const outcome = await remedy(target, decision).then(
        (what) => `done: ${what}`,
        (error: Error) => `failed: ${error.message}`,
      );
      say(`${decision.remedy} ${outcome}`);
      state = acted(state, Date.now(), settings);
    }
  }
  return {
    last: () => last,
    needsNewWorker: () => needsNewWorker,
    stop: async () => {
      stopped = true;
      wake();
      await loop;
    },
  };
}

/** watchdogSettingsFromEnv reads WATCHDOG_STALL_MS, WATCHDOG_GRACE_MS, WATCHDOG_BACKOFF_MS (defaults otherwise). */
export function watchdogSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): WatchdogSettings {
  const read = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1_000)
      throw new Error(`${name}=${raw}: a whole number of milliseconds, at least 1000`);
    return value;
  };
  return {
    stallMs: read('WATCHDOG_STALL_MS', defaultWatchdogSettings.stallMs),
    graceMs: read('WATCHDOG_GRACE_MS', defaultWatchdogSettings.graceMs),
    backoffMs: read('WATCHDOG_BACKOFF_MS', defaultWatchdogSettings.backoffMs),
    maxBackoffMs: defaultWatchdogSettings.maxBackoffMs,
  };
}

// ---- the local stack's part ----

const pidFile = (config: StackConfig) => join(config.runDir, 'watchdog.pid');

/** watchdogLogFile is where the local watchdog writes its lines. */
export const watchdogLogFile = (config: StackConfig): string => join(config.logDir, 'watchdog.log');

/** watchdogMarker is in the watchdog's command line, and only in that of this stack's watchdog. */
export const watchdogMarker = (config: StackConfig): string => `stack watchdog ${config.stackDir} `;

/** watchdogEnabled: STACK_WATCHDOG=0 leaves the watchdog out of the stack (to see the bare behaviour). */
export const watchdogEnabled = (env: NodeJS.ProcessEnv = process.env): boolean =>
  env['STACK_WATCHDOG'] !== '0';

/** localWatchdogTarget watches the local stack, as PostgreSQL's superuser; it restarts the worker itself. */
export function localWatchdogTarget(config: StackConfig): WatchdogTarget {
  const secrets = readSecrets(config.secretsFile);
  if (!secrets) throw new Error(`no ${config.secretsFile}: start the stack first`);
  const definition = loadConnectorDefinition(config.connectorFile);
  return {
    connector: definition.name,
    slot: definition.config['slot.name'] ?? 'debezium',
    // Short timeouts: a worker that does not answer within seconds is itself a finding, not a reason to stop looking.
    connect: createKafkaConnectClient({
      url: connectUrl(config),
      requestTimeoutMs: 5_000,
      conflictRetries: 2,
    }),
    pg: adminClientConfig(config, secrets.admin, config.database),
    brokers: brokerList(config),
    workerId: () => workerPid(config)?.toString(),
    ownsProcess: true,
    restartWorker: () =>
      // Under the stack lock, so it never races a `stack:up` or `stack:down`; a short wait, then the next look.
      withStackLock(
        config.runDir,
        async () => {
          const before = workerPid(config);
          if (before === undefined) return 'worker not running any more: left alone';
          const stopped = await stopWorker(config);
          const { cache } = ensureJarCache(config);
          const started = startWorker(config, cache, requireJava(), loadOrCreateSecrets(config.secretsFile));
          await waitForWorker(config, started);
          return `restarted the Connect worker (pid ${before} ${stopped}, now pid ${started.pid})`;
        },
        30_000,
      ),
  };
}

/** startWatchdog starts the local watchdog in the background (`tools/cli.ts stack watchdog <stackDir>`). */
export function startWatchdog(config: StackConfig): Detached {
  return startDetached({
    command: process.execPath,
    args: ['--import', 'tsx', join(repoRoot, 'tools', 'cli.ts'), 'stack', 'watchdog', config.stackDir],
    env: {
      ...process.env,
      STACK_DIR: config.stackDir,
      TSX_TSCONFIG_PATH: join(repoRoot, 'tools', 'tsconfig.json'),
    },
    cwd: repoRoot,
    logFile: watchdogLogFile(config),
    pidFile: pidFile(config),
  });
}

/** watchdogPid returns the running local watchdog's pid. */
export const watchdogPid = (config: StackConfig): number | undefined =>
  runningPid(pidFile(config), watchdogMarker(config));

/** stopWatchdog stops the local watchdog (SIGTERM ends its loop after the current look). */
export async function stopWatchdog(config: StackConfig): Promise<'stopped' | 'killed' | 'gone'> {
  const pid = watchdogPid(config);
  if (pid === undefined) return 'gone';
  return stopProcessGroup(pid, { signal: 'SIGTERM', timeoutMs: 10_000 });
}

// ---- a deployment's watchdog (docker compose, Kubernetes) ----

/**
 * deploymentWatchdogTarget watches a deployed Connect worker: CONNECT_URL, KAFKA_BROKERS, and the connector's own
 * DEBEZIUM_PG_* variables. It connects to PostgreSQL as the replication role, which may read pg_replication_slots
 * and terminate its own walsenders, so it needs no superuser. The worker belongs to the orchestrator: with
 * CONNECT_PODS set (Kubernetes) the watchdog deletes those pods as its last remedy; otherwise (compose) it fails its
 * liveness answer instead (serveLiveness) and Connect's healthcheck acts on it.
 */
export function deploymentWatchdogTarget(env: NodeJS.ProcessEnv, connectorFile: string): WatchdogTarget {
  const need = (name: string) => {
    const value = env[name];
    if (!value) throw new Error(`${name} is required by the connector watchdog`);
    return value;
  };
  const definition = loadConnectorDefinition(connectorFile);
  const connect = createKafkaConnectClient({
    url: need('CONNECT_URL'),
    requestTimeoutMs: 5_000,
    conflictRetries: 2,
  });
  return {
    connector: definition.name,
    slot: definition.config['slot.name'] ?? 'debezium',
    connect,
    pg: {
      host: need('DEBEZIUM_PG_HOST'),
      port: Number(need('DEBEZIUM_PG_PORT')),
      user: need('DEBEZIUM_PG_USER'),
      password: need('DEBEZIUM_PG_PASSWORD'),
      database: need('DEBEZIUM_PG_DBNAME'),
    },
    brokers: need('KAFKA_BROKERS').split(',').filter(Boolean),
    // The worker is another container: whether it answers is the REST API's business (observe asks /health).
    workerId: () => 'remote',
    // Kubernetes: Strimzi owns the Connect pods' probes, so the watchdog deletes the pods itself (their StrimziPodSet
    // creates new ones). Compose sets no CONNECT_PODS: there the worker's healthcheck acts on /live instead.
    restartWorker: env['CONNECT_PODS']
      ? async () => {
          // Every worker: the orphan lives in the JVM that ran the task when Kafka went away, which may not be the one
          // that runs it now. One after the other, so the group keeps a member while the next one goes.
          const done: string[] = [];
          for (const pod of need('CONNECT_PODS').split(',').filter(Boolean))
            done.push(await deletePod(env, pod));
          return done.join('; ');
        }
      : undefined,
  };
}

/** deletePod deletes a pod of the watchdog's own namespace through the in-cluster API, as its service account. */
async function deletePod(env: NodeJS.ProcessEnv, name: string): Promise<string> {
  const dir = '/var/run/secrets/kubernetes.io/serviceaccount';
  const namespace = env['POD_NAMESPACE'] || readFileSync(`${dir}/namespace`, 'utf8').trim();
  const host = env['KUBERNETES_SERVICE_HOST'] ?? 'kubernetes.default.svc';
  const port = Number(env['KUBERNETES_SERVICE_PORT'] ?? 443);
  const status = await new Promise<number>((resolve, reject) => {
    const request = httpsRequest(
      {
        host,
        port,
        method: 'DELETE',
        path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`,
        ca: readFileSync(`${dir}/ca.crt`),
        headers: { Authorization: `Bearer ${readFileSync(`${dir}/token`, 'utf8').trim()}` },
        timeout: 10_000,
      },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.once('timeout', () => request.destroy(new Error('timed out')));
    request.once('error', reject);
    request.end();
  });
  if (status !== 200 && status !== 202) throw new Error(`deleting pod ${namespace}/${name}: HTTP ${status}`);
  return `deleted the Connect pod ${namespace}/${name} (its StrimziPodSet starts a new one)`;
}

/** serveLiveness answers GET /live: 200 while the worker may stay, 503 once it must be replaced. */
export function serveLiveness(run: WatchdogRun, port: number): Server {
  const server = createServer((request, response) => {
    const stuck = run.needsNewWorker();
    const body = JSON.stringify({ needsNewWorker: stuck, last: run.last() ?? null });
    response.writeHead(request.url === '/live' && stuck ? 503 : 200, { 'content-type': 'application/json' });
    response.end(body);
  });
  server.listen(port);
  return server;
}
