// What `npm run stack:status` shows: for each part whether it is up, its port and pid, and a detail.
import { existsSync, readFileSync } from 'node:fs';
import { Client } from 'pg';
import { loadStackConfig, type StackConfig } from './config';
import { connectClient, workerPid } from './connect/worker';
import { loadConnectorDefinition } from './connect/connector';
import { watchdogEnabled, watchdogLogFile, watchdogPid } from './connect/watchdog';
import { TOOLS_KAFKA_USER } from '@blog/catalog';
import { connectAdmin } from './kafka/admin';
import { kafkaSasl } from './kafka/security';
import { brokerList, brokerPid } from './kafka/broker';
import { adminClientConfig, postgresPid } from './postgres/cluster';
import { isPortFree } from './ports';
import { readSecrets } from './secrets';
import { zipkinEnabled, zipkinHealthy, zipkinPid, zipkinUrl } from './zipkin/zipkin';

/** PartStatus is one line of the status. */
export interface PartStatus {
  part: 'postgres' | 'kafka' | 'connect' | 'connector' | 'watchdog' | 'zipkin';
  up: boolean;
  port?: number;
  pid?: number;
  detail: string;
}

/** stackStatus probes every part; it never starts or changes anything. */
export async function stackStatus(config: StackConfig = loadStackConfig()): Promise<PartStatus[]> {
  const secrets = readSecrets(config.secretsFile);
  const [postgres, kafka, connect] = await Promise.all([
    probe('postgres', config.ports.postgres, postgresPid(config), async () => {
      if (!secrets) return 'no secrets file';
      const client = new Client(adminClientConfig(config, secrets.admin, config.database));
      await client.connect();
      try {
        const { rows } = await client.query<{ server_version: string }>('show server_version');
        return `PostgreSQL ${rows[0]?.server_version}, database ${config.database}`;
      } finally {
        await client.end();
      }
    }),
    probe('kafka', config.ports.kafka, brokerPid(config), async () => {
      if (!secrets) return 'no secrets file';
      // As the tools' user: status needs to see the event topics, nothing of the super user's.
      const admin = await connectAdmin(brokerList(config), kafkaSasl(secrets, TOOLS_KAFKA_USER));
      try {
        const topics = await admin.listTopics();
        return `${topics.filter((t) => t.startsWith('events.')).length} event topics, controller :${config.ports.controller}`;
      } finally {
        await admin.disconnect();
      }
    }),
    probe('connect', config.ports.connect, workerPid(config), async () => {
      const health = await connectClient(config).health();
      if (health.status !== 'healthy') throw new Error(`${health.status}: ${health.message}`);
      return health.status;
    }),
  ]);
  return [
    postgres,
    kafka,
    connect,
    await connectorStatus(config, connect.up),
    watchdogStatus(config),
    await zipkinStatus(config),
  ];
}

/** zipkinStatus: whether the trace viewer runs and answers, and its URL. */
async function zipkinStatus(config: StackConfig): Promise<PartStatus> {
  if (!zipkinEnabled()) return { part: 'zipkin', up: true, detail: 'off (STACK_ZIPKIN=0)' };
  const pid = zipkinPid(config);
  const up = pid !== undefined && (await zipkinHealthy(config));
  const detail =
    pid === undefined ? 'not running' : up ? `${zipkinUrl(config)}/zipkin/` : 'not answering /health';
  return { part: 'zipkin', up, port: config.ports.zipkin, pid, detail };
}

/** watchdogStatus: whether the connector watchdog runs, and its last line (its latest verdict or action). */
function watchdogStatus(config: StackConfig): PartStatus {
  if (!watchdogEnabled()) return { part: 'watchdog', up: true, detail: 'off (STACK_WATCHDOG=0)' };
  const pid = watchdogPid(config);
  const log = watchdogLogFile(config);
  const lastLine = existsSync(log) ? (readFileSync(log, 'utf8').trimEnd().split('\n').pop() ?? '') : '';
  return {
    part: 'watchdog',
    up: pid !== undefined,
    pid,
    detail: pid === undefined ? 'not running' : lastLine || 'started',
  };
}

async function probe(
  part: PartStatus['part'],
  port: number,
  pid: number | undefined,
  check: () => Promise<string>,
): Promise<PartStatus> {
  if (pid === undefined) {
    const detail = (await isPortFree(port)) ? 'not running' : 'not running (port in use by another process)';
    return { part, up: false, port, detail };
  }
  try {
    return { part, up: true, port, pid, detail: await check() };
  } catch (error) {
    return {
      part,
      up: false,
      port,
      pid,
      detail: `process runs but does not answer: ${(error as Error).message}`,
    };
  }
}

async function connectorStatus(config: StackConfig, workerUp: boolean): Promise<PartStatus> {
  const { name } = loadConnectorDefinition(config.connectorFile);
  if (!workerUp) return { part: 'connector', up: false, detail: `${name}: worker down` };
  try {
    const status = await connectClient(config).status(name);
    const tasks = status.tasks.map((t) => `task ${t.id} ${t.state}`).join(', ') || 'no task';
    const up =
      status.connector.state === 'RUNNING' &&
      status.tasks.length > 0 &&
      status.tasks.every((t) => t.state === 'RUNNING');
    return { part: 'connector', up, detail: `${name} ${status.connector.state} (${tasks})` };
  } catch (error) {
    return { part: 'connector', up: false, detail: `${name}: ${(error as Error).message}` };
  }
}

/** formatStatus renders the status as aligned lines. */
export function formatStatus(parts: PartStatus[]): string {
  return parts
    .map((p) =>
      [
        p.part.padEnd(10),
        (p.up ? 'up' : 'down').padEnd(5),
        String(p.port ?? '').padEnd(6),
        (p.pid ? `pid ${p.pid}` : '').padEnd(11),
        p.detail,
      ].join(' '),
    )
    .join('\n');
}
