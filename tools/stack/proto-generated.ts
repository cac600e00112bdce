import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { StackError } from './errors';

/**
 * ensureProtoGenerated runs `nx run proto:generate` when libs/proto/src/gen is missing (a fresh clone: the
 * generated code is git-ignored), because @blog/proto's index, where the topic list lives, imports it.
 */
export function ensureProtoGenerated(repoRoot: string): void {
  if (existsSync(join(repoRoot, 'libs', 'proto', 'src', 'gen'))) return;
  const nx = require.resolve('nx/bin/nx.js', { paths: [repoRoot] });
  const result = spawnSync(process.execPath, [nx, 'run', 'proto:generate', '--outputStyle=static'], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (result.status !== 0)
    throw new StackError('generating @blog/proto failed: run `npx nx run proto:generate` to see why');
}
