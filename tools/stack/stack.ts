// Bringing the whole stack up and down: PostgreSQL and Kafka start side by side, Connect follows Kafka, the
// connector follows both. Every step is idempotent, so `up` on a running stack only checks and fixes.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadStackConfig, type StackConfig } from './config';
import { connectClient, startWorker, stopWorker, waitForWorker, workerPid } from './connect/worker';
import { loadConnectorDefinition, registerConnector } from './connect/connector';
import {
  startWatchdog,
  stopWatchdog,
  watchdogEnabled,
  watchdogLogFile,
  watchdogMarker,
  watchdogPid,
} from './connect/watchdog';
import { brokerList, brokerPid, prepareBroker, startBroker, stopBroker, waitForBroker } from './kafka/broker';
import { ensureTopics, eventTopicNames } from './kafka/topics';
import { adminSasl, ensureAcls, ensureUsers } from './kafka/security';
import { ensureJarCache } from './jvm/jar-cache';
import { withStackLock } from './lock';
import { requireJava, requirePortFree, requireWritable } from './prerequisites';
import { requirePostgresBinaries } from './postgres/binaries';
import { bootstrapDatabase } from './postgres/bootstrap';
import {
  initCluster,
  postgresOsUser,
  postgresPid,
  startPostgres,
  stopPostgres,
  waitForPostgres,
} from './postgres/cluster';
import { stopApps } from './apps';
import { certsDir, ensureCertificates } from './certs';
import { loadOrCreateSecrets } from './secrets';
import { commandLine, findByCommandLine, stopProcessGroup, type Detached } from './process/processes';
import {
  startZipkin,
  stopZipkin,
  waitForZipkin,
  zipkinEnabled,
  zipkinMarker,
  zipkinPid,
  zipkinUrl,
} from './zipkin/zipkin';

/** PartName names a piece of the stack, in start order. */
export type PartName =
  | 'certs'
  | 'jars'
  | 'postgres'
  | 'kafka'
  | 'topics'
  | 'acls'
  | 'connect'
  | 'connector'
  | 'watchdog'
  | 'zipkin';

/** PartReport says what `up` did for a part and how long it took. */
export interface PartReport {
  part: PartName;
  action: 'started' | 'already running' | 'checked' | 'downloaded' | 'cached' | 'created' | 'updated';
  ms: number;
  detail?: string;
}

/** UpOptions tune ensureStackUp. */
export interface UpOptions {
  config?: StackConfig;
  /** fresh stops the stack and wipes its state (never the jar cache) before starting. */
  fresh?: boolean;
  /** log receives one line per finished part. */
  log?: (line: string) => void;
}

/** UpResult reports a successful `up`. */
export interface UpResult {
  parts: PartReport[];
  totalMs: number;
  /** startedAny tells whether this call started a process (false: everything was already running). */
  startedAny: boolean;
}

/** ensureStackUp brings every part up (starting only what is not running) and returns when all are ready. */
export async function ensureStackUp(options: UpOptions = {}): Promise<UpResult> {
  const config = options.config ?? loadStackConfig();
  requireWritable(config.stackDir);
  return withStackLock(config.runDir, async () => {
    if (options.fresh) {
      await down(config);
      wipeState(config);
    }
    return up(config, options.log ?? (() => undefined));
  });
}

/** up is ensureStackUp without the lock (for callers that already hold it). */
export async function up(config: StackConfig, log: (line: string) => void): Promise<UpResult> {
  const t0 = Date.now();
  const parts: PartReport[] = [];
  const report = (part: PartName, action: PartReport['action'], since: number, detail?: string) => {
    const entry = { part, action, ms: Date.now() - since, detail };
    parts.push(entry);
    log(formatReport(entry));
  };

  const withZipkin = zipkinEnabled();
  const running = {
    postgres: postgresPid(config),
    kafka: brokerPid(config),
    connect: workerPid(config),
    zipkin: withZipkin ? zipkinPid(config) : undefined,
  };
  // Every prerequisite is checked before anything starts, so a failure leaves nothing half-started.
  if (running.postgres === undefined) await requirePortFree('postgres', config.ports.postgres, 'PostgreSQL');
  if (running.kafka === undefined) {
    await requirePortFree('kafka', config.ports.kafka, 'Kafka');
    await requirePortFree('controller', config.ports.controller, 'Kafka controller');
  }
  if (running.connect === undefined) await requirePortFree('connect', config.ports.connect, 'Kafka Connect');
  if (withZipkin && running.zipkin === undefined)
    await requirePortFree('zipkin', config.ports.zipkin, 'Zipkin');
  const pgBins = running.postgres === undefined ? requirePostgresBinaries() : undefined;
  const pgUser = running.postgres === undefined ? postgresOsUser() : undefined;
  const java =
    running.kafka === undefined ||
    running.connect === undefined ||
    (withZipkin && running.zipkin === undefined)
      ? requireJava()
      : undefined;
  const secrets = loadOrCreateSecrets(config.secretsFile);
  const definition = loadConnectorDefinition(config.connectorFile);

  // The mTLS identities every app gets (dev-only, made or renewed here; certs.ts).
  const certsSince = Date.now();
  const certs = await ensureCertificates(certsDir(config));
  report(
    'certs',
    certs.newCa ? 'created' : certs.issued.length > 0 ? 'updated' : 'checked',
    certsSince,
    certs.newCa
      ? `development CA and ${certs.issued.length} certificates in ${certsDir(config)}`
      : certs.issued.length > 0
        ? `re-issued ${certs.issued.join(', ')}`
        : 'every certificate valid',
  );

  let since = Date.now();
  const { cache, downloaded } = ensureJarCache(config);
  report(
    'jars',
    downloaded ? 'downloaded' : 'cached',
    since,
    `${cache.jars} jars + ${cache.pluginJars} Debezium jars`,
  );

  const started: { stop: () => Promise<unknown> }[] = [];
  const track = (detached: Detached | undefined, stop: () => Promise<unknown>) => {
    if (detached) started.push({ stop });
    return detached;
  };
  try {
    const postgres = (async () => {
      const t = Date.now();
      let child: Detached | undefined;
      if (pgBins) {
        initCluster(config, pgBins, secrets.admin, pgUser);
        child = track(startPostgres(config, pgBins, pgUser), () => stopPostgres(config));
      }
      await waitForPostgres(config, secrets.admin, child);
      await bootstrapDatabase(config, secrets);
      report(
        'postgres',
        child ? 'started' : 'already running',
        t,
        `127.0.0.1:${config.ports.postgres} pid ${postgresPid(config)}`,
      );
    })();

    const kafka = (async () => {
      const t = Date.now();
      let child: Detached | undefined;
      if (running.kafka === undefined && java) {
        prepareBroker(config, cache, java, secrets);
        child = track(startBroker(config, cache, java), () => stopBroker(config));
      }
      await waitForBroker(config, secrets, child);
      report(
        'kafka',
        child ? 'started' : 'already running',
        t,
        `127.0.0.1:${config.ports.kafka} pid ${brokerPid(config)}`,
      );
      const tt = Date.now();
      const topics = eventTopicNames();
      const created = await ensureTopics(brokerList(config), adminSasl(secrets), topics);
      report(
        'topics',
        created.length ? 'created' : 'checked',
        tt,
        `${topics.length} topics, ${created.length} new`,
      );
      // Users and ACLs before Connect and the apps sign in: every client is refused what its ACLs do not allow.
      const ta = Date.now();
      const newUsers = ensureUsers(config, cache, () => java ?? requireJava(), secrets);
      const acls = await ensureAcls(brokerList(config), adminSasl(secrets));
      report(
        'acls',
        acls.created || acls.deleted || newUsers.length ? 'updated' : 'checked',
        ta,
        `${acls.total} ACLs (${acls.created} new, ${acls.deleted} removed)${newUsers.length ? `, new users ${newUsers.join(', ')}` : ''}`,
      );
    })();

    const connect = kafka.then(async () => {
      const t = Date.now();
      let child: Detached | undefined;
      if (running.connect === undefined && java) {
        child = track(startWorker(config, cache, java, secrets), () => stopWorker(config));
      }
      await waitForWorker(config, child);
      report(
        'connect',
        child ? 'started' : 'already running',
        t,
        `127.0.0.1:${config.ports.connect} pid ${workerPid(config)}`,
      );
    });

    // The trace viewer starts beside the rest (it needs nothing of them); the apps export to it.
    const zipkin = withZipkin
      ? (async () => {
          const t = Date.now();
          let child: Detached | undefined;
          if (running.zipkin === undefined && java) {
            child = track(startZipkin(config, cache, java), () => stopZipkin(config));
          }
          await waitForZipkin(config, child);
          report(
            'zipkin',
            child ? 'started' : 'already running',
            t,
            `${zipkinUrl(config)}/zipkin/ pid ${zipkinPid(config)}`,
          );
        })()
      : Promise.resolve();

    await settleAll([postgres, kafka, connect, zipkin]);
    since = Date.now();
    const { created, changed, status } = await registerConnector(connectClient(config), definition);
    const action = created ? 'created' : changed ? 'updated' : 'checked';
    report('connector', action, since, `${definition.name} ${status.connector.state}`);
    // The connector watchdog (connect/watchdog.ts) restores a connector that stopped streaming, e.g. after a long
    // Kafka outage (DBZ-9617). Started last, so its first look finds everything up.
    if (watchdogEnabled()) {
      since = Date.now();
      const running = watchdogPid(config);
      const child =
        running === undefined ? track(startWatchdog(config), () => stopWatchdog(config)) : undefined;
      report(
        'watchdog',
        child ? 'started' : 'already running',
        since,
        `pid ${child?.pid ?? running}, log ${watchdogLogFile(config)}`,
      );
    }
  } catch (error) {
    // Leave nothing half-started behind: stop what this call started, newest first.
    for (const part of started.reverse()) await part.stop().catch(() => undefined);
    throw error;
  }
  return { parts, totalMs: Date.now() - t0, startedAny: started.length > 0 };
}

/** settleAll waits for every promise (so none is left running unobserved) and rethrows the first failure. */
async function settleAll(promises: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** stackDown stops apps started by `npm start`, then Connect, Kafka and PostgreSQL, and waits until they are gone. */
export async function stackDown(
  options: { config?: StackConfig; log?: (line: string) => void } = {},
): Promise<void> {
  const config = options.config ?? loadStackConfig();
  // Without its folder (deleted by hand) there are no pid files and no lock to take: only the sweep can help.
  if (!existsSync(config.stackDir)) return void (await sweepStrays(config, options.log));
  await withStackLock(config.runDir, () => down(config, options.log));
}

/** down is stackDown without the lock (for callers that already hold it). */
export async function down(
  config: StackConfig,
  log: (line: string) => void = () => undefined,
): Promise<void> {
  const steps: [string, () => Promise<string>][] = [
    // The watchdog first: it must not restart the worker that this `down` is stopping.
    ['watchdog', () => stopWatchdog(config)],
    ['apps', async () => `${(await stopApps(config)).length} stopped`],
    ['connect', () => stopWorker(config)],
    ['kafka', () => stopBroker(config)],
    ['postgres', () => stopPostgres(config)],
    // Stopped whether or not STACK_ZIPKIN is set now: it may have been started by an earlier `up`.
    ['zipkin', () => stopZipkin(config)],
  ];
  for (const [part, stop] of steps) {
    const t = Date.now();
    const outcome = await stop();
    log(`${part.padEnd(10)} ${outcome.padEnd(16)} ${((Date.now() - t) / 1000).toFixed(1)}s`);
  }
  await sweepStrays(config, log);
}

/**
 * sweepStrays stops any JVM or postmaster of this stack that has no pid file any more (state deleted while it
 * ran, a crashed launcher): they are recognised by the stack folder in their command line.
 */
async function sweepStrays(
  config: StackConfig,
  log: (line: string) => void = () => undefined,
): Promise<void> {
  const strays = findByCommandLine([
    `-Dstack.log.file=${config.logDir}/`,
    `-D ${config.postgresDir}/data`,
    watchdogMarker(config),
    zipkinMarker(config),
  ]);
  for (const pid of strays) {
    const postmaster = commandLine(pid).includes(`-D ${config.postgresDir}/data`);
    const outcome = await stopProcessGroup(pid, {
      signal: postmaster ? 'SIGINT' : 'SIGTERM',
      timeoutMs: 30_000,
    });
    log(`${'stray'.padEnd(10)} ${outcome.padEnd(16)} pid ${pid}`);
  }
}

/** wipeState deletes the stack's state (data, logs, secrets) but keeps the jar cache and the lock. */
function wipeState(config: StackConfig): void {
  if (!existsSync(config.stackDir)) return;
  for (const entry of readdirSync(config.stackDir)) {
    if (entry === 'jvm' || entry === 'run') continue;
    rmSync(join(config.stackDir, entry), { recursive: true, force: true });
  }
  for (const entry of readdirSync(config.runDir)) {
    if (entry !== 'stack.lock') rmSync(join(config.runDir, entry), { recursive: true, force: true });
  }
}

/** formatReport renders one part's line: `kafka      started          4.2s  127.0.0.1:9092 pid 123`. */
export function formatReport(entry: PartReport): string {
  return `${entry.part.padEnd(10)} ${entry.action.padEnd(16)} ${(entry.ms / 1000).toFixed(1).padStart(5)}s  ${entry.detail ?? ''}`.trimEnd();
}
