// The service generator end to end: in a temporary copy of this workspace, `nx g @blog/tools:service` makes a service
// that passes the format check, builds, lints and passes its unit tests, whose deployments pass deploy validation and
// equal a fresh rendering, and that starts on this stack's PostgreSQL and Kafka and answers health and its one RPC
// (its own integration tests).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStackConfig, repoRoot } from '../../../stack/config.js';
import { adminClientConfig } from '../../../stack/postgres/cluster.js';
import { loadOrCreateSecrets } from '../../../stack/secrets.js';
import { copyWorkspace, type WorkspaceCopy } from '../testing/workspace-copy.js';

const NAME = 'probe-board';
let copy: WorkspaceCopy;

/** run runs a command in the copy and fails the test with its output (colours stripped) when it exits non-zero. */
function run(command: string, args: string[]): string {
  const stack = loadStackConfig();
  const result = spawnSync(command, args, {
    cwd: copy.root,
    encoding: 'utf8',
    // The copy's integration tests use THIS stack (its directory holds the pids and the secrets), never one of their own.
    env: {
      ...process.env,
      STACK_DIR: stack.stackDir,
      // Absolute: nx runs some commands in a project's folder.
      TSX_TSCONFIG_PATH: join(copy.root, 'tools', 'tsconfig.json'),
      NX_DAEMON: 'false',
      NX_NO_CLOUD: 'true',
      CI: 'true',
    },
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = stripVTControlCharacters(`${result.stdout}\n${result.stderr}`);
  if (result.status !== 0)
    throw new Error(`\`${command} ${args.join(' ')}\` exited ${result.status}:\n${output.slice(-6000)}`);
  return output;
}

/**
 * dropGeneratedSchema removes what an earlier run left on the stack: the schema holds the migrations it ran, and a
 * new run's first migration has a new id (its timestamp), which node-pg-migrate would refuse as out of order.
 */
async function dropGeneratedSchema(): Promise<void> {
  const config = loadStackConfig();
  const admin = new Client(
    adminClientConfig(config, loadOrCreateSecrets(config.secretsFile).admin, config.database),
  );
  await admin.connect();
  try {
    await admin.query('drop schema if exists probe_board cascade');
  } finally {
    await admin.end();
  }
}

beforeAll(async () => {
  await dropGeneratedSchema();
  copy = copyWorkspace(repoRoot);
}, 120_000);

afterAll(async () => {
  copy?.remove();
  await dropGeneratedSchema();
});

describe(`nx g @blog/tools:service ${NAME}`, () => {
  it('writes the proto, the app, the catalog entry and, through the render, its deployments, all formatted', () => {
    run('npx', ['nx', 'g', '@blog/tools:service', NAME, '--skipInstall', '--no-interactive']);
    for (const file of [
      'proto/blog/probe_board/v1/probe_board.proto',
      `apps/${NAME}/src/config.ts`,
      `apps/${NAME}/src/service.ts`,
      `apps/${NAME}/src/server.ts`,
      `apps/${NAME}/src/item.mapper.ts`,
      `apps/${NAME}/src/domain/validation.ts`,
      `apps/${NAME}/src/use-cases/items.ts`,
      `apps/${NAME}/src/repository/item.repository.ts`,
      `apps/${NAME}/src/migrations`,
      `apps/${NAME}/src/testing/harness.ts`,
      `libs/catalog/src/services/${NAME}.ts`,
      `deploy/k8s/base/apps/${NAME}.yaml`,
    ])
      expect(existsSync(join(copy.root, file)), file).toBe(true);
    expect(readFileSync(join(copy.root, 'deploy/docker-compose.yml'), 'utf8')).toContain(`\n  ${NAME}:\n`);
    expect(readFileSync(join(copy.root, 'deploy/compose/postgres/bootstrap.sql'), 'utf8')).toContain(
      "('probe_board', 'probe_board_svc')",
    );
    // What it wrote passes the CI's format check as it is.
    run('npx', ['prettier', '--check', '.']);
  }, 600_000);

  it('builds, lints and passes its unit tests', () => {
    const output = run('npx', [
      'nx',
      'run-many',
      '-t',
      'build,lint,test',
      '-p',
      NAME,
      '--outputStyle=stream',
    ]);
    // Its request rules and its handlers: two files, two tests each.
    expect(output).toMatch(/Test Files\s+2 passed \(2\)/);
    expect(output).toMatch(/Tests\s+4 passed \(4\)/);
  }, 900_000);

  it('passes deploy validation, its rendered files equal a fresh rendering', () => {
    run('npx', ['nx', 'test', 'deploy', '--outputStyle=stream']);
    run('node', ['--import', 'tsx', 'tools/cli.ts', 'render', '--check']);
  }, 900_000);

  it('starts on the stack and answers health and its RPC', () => {
    const output = run('npx', ['nx', 'test-int', NAME, '--outputStyle=stream']);
    // The repository on its schema (one test) and the service over gRPC (health, CreateItem, INVALID_ARGUMENT).
    expect(output).toMatch(/Test Files\s+2 passed \(2\)/);
    expect(output).toMatch(/Tests\s+4 passed \(4\)/);
  }, 900_000);
});
