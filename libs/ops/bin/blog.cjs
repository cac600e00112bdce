#!/usr/bin/env node
// `npx blog <verb>`: runs tools/cli.ts blog from the repository's sources with tsx (no build), on the Node.js the
// workspace installs (the `node` package), like the npm scripts do.
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join, resolve } = require('node:path');

const root = resolve(__dirname, '..', '..', '..');
const node24 = join(root, 'node_modules', 'node', 'bin', 'node');
const result = spawnSync(
  existsSync(node24) ? node24 : process.execPath,
  ['--import', 'tsx', join(root, 'tools', 'cli.ts'), 'blog', ...process.argv.slice(2)],
  {
    stdio: 'inherit',
    cwd: root,
    env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tools', 'tsconfig.json') },
  },
);
process.exit(result.status ?? 1);
