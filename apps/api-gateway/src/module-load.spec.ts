// The gateway needs no broker and no database, so it must load none of their drivers: it imports
// '@blog/framework/core'. Proven in a child process (a fresh module cache) that loads the gateway's modules from
// source and lists what was loaded; the same probe on '@blog/framework' itself must find them, so the probe can fail.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = resolve(__dirname, '../../..');
const DATA_DRIVERS = ['kafkajs', 'pg', 'node-pg-migrate'];

// tsx resolves the workspace libraries to their sources through these paths: the same aliases Vitest uses, so a
// library the gateway starts to import is resolved here too without a build.
const scratch = mkdtempSync(join(tmpdir(), 'gateway-modules-'));
const tsconfig = join(scratch, 'tsconfig.json');
beforeAll(async () => {
  const { workspaceAliases } = (await import(pathToFileURL(join(repo, 'vitest.shared.mts')).href)) as {
    workspaceAliases: Record<string, string>;
  };
  const paths = Object.fromEntries(Object.entries(workspaceAliases).map(([name, file]) => [name, [file]]));
  writeFileSync(
    tsconfig,
    JSON.stringify({ extends: join(repo, 'tsconfig.base.json'), compilerOptions: { paths } }),
  );
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** driversLoadedBy requires the modules in a fresh node (tsx) and returns the data drivers that got loaded. */
function driversLoadedBy(modules: readonly string[]): string[] {
  const script = `
    for (const m of ${JSON.stringify(modules)}) require(m);
    const loaded = Object.keys(require.cache);
    const drivers = ${JSON.stringify(DATA_DRIVERS)}.filter((d) => loaded.some((p) => p.includes('/node_modules/' + d + '/')));
    process.stdout.write(JSON.stringify(drivers));`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], {
    cwd: repo,
    env: { ...process.env, TSX_TSCONFIG_PATH: tsconfig },
    encoding: 'utf8',
  });
  return JSON.parse(out) as string[];
}

describe('modules the gateway loads', { timeout: 60_000 }, () => {
  it('loads neither kafkajs, nor pg, nor node-pg-migrate', () => {
    const entry = ['gateway.ts', 'config.ts', 'app.ts'].map((file) =>
      join(repo, 'apps/api-gateway/src', file),
    );
    expect(driversLoadedBy(entry)).toEqual([]);
  });

  it('(the probe works: the whole framework loads all three)', () => {
    expect(driversLoadedBy(['@blog/framework']).sort()).toEqual([...DATA_DRIVERS].sort());
  });
});
