// The stack's own PostgreSQL cluster under .stack/postgres: initdb once, then `postgres` started directly (no
// pg_ctl fork, so the pid we record is the postmaster's) with logical decoding on, listening on 127.0.0.1 only.
import { spawnSync } from 'node:child_process';
import { chownSync, closeSync, existsSync, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import type { StackConfig } from '../config';
import { StackError } from '../errors';
import { runningPid, startDetached, stopProcessGroup, type Detached } from '../process/processes';
import type { PostgresBinaries } from './binaries';

/** superuser is the cluster's bootstrap superuser (the stack's admin connection). */
export const superuser = 'postgres';

/** OsUser is the non-root account PostgreSQL runs as when the launcher runs as root. */
export interface OsUser {
  name: string;
  uid: number;
  gid: number;
}

/** postgresPaths locates the cluster's files. */
export function postgresPaths(config: StackConfig) {
  return {
    dataDir: join(config.postgresDir, 'data'),
    pidFile: join(config.runDir, 'postgres.pid'),
    logFile: join(config.logDir, 'postgres.log'),
  };
}

/**
 * postgresOsUser returns the account to run PostgreSQL as: none when we are not root (we run it ourselves),
 * else STACK_PG_OS_USER or `postgres`, which Debian's packages create.
 */
export function postgresOsUser(env: NodeJS.ProcessEnv = process.env): OsUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const name = env['STACK_PG_OS_USER'] || 'postgres';
  const id = (flag: string) => spawnSync('id', [flag, name], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0) {
    throw new StackError(
      `running as root, PostgreSQL needs a non-root OS user and "${name}" does not exist: create it (useradd --system ${name}) or set STACK_PG_OS_USER`,
    );
  }
  return { name, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** isInitialised tells whether initdb already ran. */
export const isInitialised = (config: StackConfig): boolean =>
  existsSync(join(postgresPaths(config).dataDir, 'PG_VERSION'));

/** initCluster runs initdb once (as the OS user when root), with a password-protected superuser. */
export function initCluster(
  config: StackConfig,
  bins: PostgresBinaries,
  adminPassword: string,
  user?: OsUser,
): void {
  const { dataDir } = postgresPaths(config);
  if (isInitialised(config)) return;
  mkdirSync(config.postgresDir, { recursive: true });
  mkdirSync(config.logDir, { recursive: true });
  if (user) {
    chownSync(config.postgresDir, user.uid, user.gid);
    requireWritableBy(config.postgresDir, user);
  }
  const pwfile = join(config.postgresDir, '.pwfile');
  writeFileSync(pwfile, `${adminPassword}\n`, { mode: 0o600 });
  if (user) chownSync(pwfile, user.uid, user.gid);
  const logFile = join(config.logDir, 'postgres-initdb.log');
  const log = openSync(logFile, 'w');
  try {
    const result = spawnSync(
      bins.initdb,
      [
        '-D',
        dataDir,
        '-U',
        superuser,
        `--pwfile=${pwfile}`,
        '--auth-host=scram-sha-256',
        '--auth-local=scram-sha-256',
        '-E',
        'UTF8',
        '--no-locale',
        '--no-instructions',
      ],
      {
        cwd: config.postgresDir,
        stdio: ['ignore', log, log],
        uid: user?.uid,
        gid: user?.gid,
        env: process.env,
      },
    );
    if (result.error || result.status !== 0) {
      rmSync(dataDir, { recursive: true, force: true });
      throw new StackError(`initdb failed (exit ${result.status}): see ${logFile}`);
    }
  } finally {
    closeSync(log);
    rmSync(pwfile, { force: true });
  }
}

/** requireWritableBy proves the OS user can write the folder (every parent must be traversable for it). */
function requireWritableBy(dir: string, user: OsUser): void {
  const probe = spawnSync('test', ['-w', dir, '-a', '-x', dir], { uid: user.uid, gid: user.gid });
  if (probe.status !== 0) {
    throw new StackError(
      `PostgreSQL runs as OS user ${user.name}, which cannot write ${dir}: let it traverse the parent folders (chmod o+x) or set STACK_DIR elsewhere`,
    );
  }
}

/** startPostgres starts the postmaster in the background with the settings logical decoding needs. */
export function startPostgres(config: StackConfig, bins: PostgresBinaries, user?: OsUser): Detached {
  const { dataDir, pidFile, logFile } = postgresPaths(config);
  const settings = {
    listen_addresses: config.host,
    port: config.ports.postgres,
    // TCP only: no socket file in /var/run/postgresql to collide with the machine's own cluster.
    unix_socket_directories: '',
    wal_level: 'logical',
    max_wal_senders: 10,
    max_replication_slots: 10,
    // A stopped connector must not let its slot fill the disk with WAL.
    max_slot_wal_keep_size: '1GB',
    // Seven services with a pool each, Debezium, the tests.
    max_connections: 200,
    shared_buffers: '128MB',
  };
  const args = [
    '-D',
    dataDir,
    ...Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`]),
  ];
  return startDetached({
    command: bins.postgres,
    args,
    env: process.env,
    cwd: config.postgresDir,
    logFile,
    pidFile,
    uid: user?.uid,
    gid: user?.gid,
  });
}

/** postgresPid returns the running postmaster's pid, if ours is running. */
export const postgresPid = (config: StackConfig): number | undefined =>
  runningPid(postgresPaths(config).pidFile, postgresPaths(config).dataDir);

/** adminClientConfig connects as the superuser to a database of the stack's cluster. */
export function adminClientConfig(config: StackConfig, adminPassword: string, database = 'postgres') {
  return {
    host: config.host,
    port: config.ports.postgres,
    user: superuser,
    password: adminPassword,
    database,
    connectionTimeoutMillis: 2_000,
  };
}

/** waitForPostgres resolves once the cluster accepts the admin's connections. */
export async function waitForPostgres(
  config: StackConfig,
  adminPassword: string,
  started: Detached | undefined,
  timeoutMs = 60_000,
): Promise<void> {
  const { logFile } = postgresPaths(config);
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void started?.exited.then(() => (exited = true));
  for (;;) {
    const client = new Client(adminClientConfig(config, adminPassword));
    try {
      await client.connect();
      await client.query('select 1');
      return;
    } catch (error) {
      if (exited) throw new StackError(`PostgreSQL exited during start-up: see ${logFile}`);
      if (Date.now() > deadline) {
        throw new StackError(
          `PostgreSQL not ready after ${timeoutMs / 1000} s (${(error as Error).message}): see ${logFile}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

/** stopPostgres asks for a fast shutdown (SIGINT: roll back sessions, checkpoint, exit), then escalates. */
export async function stopPostgres(config: StackConfig): Promise<'stopped' | 'killed' | 'gone'> {
  const pid = postgresPid(config);
  if (pid === undefined) return 'gone';
  const outcome = await stopProcessGroup(pid, { signal: 'SIGINT', timeoutMs: 30_000 });
  rmSync(postgresPaths(config).pidFile, { force: true });
  return outcome;
}
