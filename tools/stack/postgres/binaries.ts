// Finding PostgreSQL's server binaries (initdb, postgres): PG_BIN, then initdb on PATH (Debian links it to its
// versioned folder), then Debian's /usr/lib/postgresql/<version>/bin, newest first. If none is found and we may
// use apt-get (root on Debian/Ubuntu, as in CI containers), the server package is installed without a cluster.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { StackError } from '../errors';

/** PostgresBinaries are the absolute paths of the server programs the stack runs. */
export interface PostgresBinaries {
  bin: string;
  initdb: string;
  postgres: string;
}

/** findPostgresBinaries returns the first folder that has both initdb and postgres. */
export function findPostgresBinaries(env: NodeJS.ProcessEnv = process.env): PostgresBinaries | undefined {
  for (const bin of candidateFolders(env)) {
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'postgres'))) {
      return { bin, initdb: join(bin, 'initdb'), postgres: join(bin, 'postgres') };
    }
  }
  return undefined;
}

function candidateFolders(env: NodeJS.ProcessEnv): string[] {
  const folders: string[] = [];
  if (env['PG_BIN']) folders.push(env['PG_BIN']);
  for (const dir of (env['PATH'] ?? '').split(delimiter).filter(Boolean)) {
    const initdb = join(dir, 'initdb');
    if (existsSync(initdb)) folders.push(dirname(realpathSync(initdb)));
  }
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    folders.push(...versions.map((v) => join(debian, v, 'bin')));
  }
  return folders;
}

/** requirePostgresBinaries finds the binaries, installing Debian's server package when that is possible. */
export function requirePostgresBinaries(env: NodeJS.ProcessEnv = process.env): PostgresBinaries {
  const found = findPostgresBinaries(env);
  if (found) return found;
  const canApt = process.getuid?.() === 0 && spawnSync('apt-get', ['--version']).status === 0;
  if (!canApt) {
    throw new StackError(
      'PostgreSQL server binaries (initdb, postgres) not found: install them (sudo apt-get install -y postgresql) or set PG_BIN to their folder',
    );
  }
  installWithApt();
  const installed = findPostgresBinaries(env);
  if (!installed)
    throw new StackError('apt-get installed postgresql but no initdb was found: set PG_BIN to its folder');
  return installed;
}

/**
 * installWithApt installs Debian's PostgreSQL server. Debian's package would create and start a `main` cluster on
 * port 5432; createcluster.conf turns that off, since the stack runs its own cluster under .stack/.
 */
function installWithApt(): void {
  process.stderr.write('stack: PostgreSQL server binaries not found; installing them with apt-get\n');
  const script = [
    'set -e',
    'mkdir -p /etc/postgresql-common',
    "grep -qs '^create_main_cluster' /etc/postgresql-common/createcluster.conf || echo 'create_main_cluster = false' >> /etc/postgresql-common/createcluster.conf",
    'apt-get update -qq',
    'DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql',
  ].join('\n');
  const result = spawnSync('sh', ['-c', script], { stdio: 'inherit' });
  if (result.status !== 0) {
    throw new StackError(
      'apt-get could not install postgresql: install it by hand or set PG_BIN to its folder',
    );
  }
}
