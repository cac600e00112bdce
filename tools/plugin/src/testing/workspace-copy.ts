// Test-only: a temporary copy of the workspace to run a generator in. The files git knows (tracked and new, not
// ignored) are copied; node_modules are not: every entry is a symlink to this checkout's, except the @blog/*
// workspace links, which point into the copy so the copy's own libraries are what its code imports.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** WorkspaceCopy is a temporary copy of the workspace; remove() deletes it. */
export interface WorkspaceCopy {
  readonly root: string;
  remove(): void;
}

/** copyWorkspace copies the workspace at `from` into a new temporary folder. */
export function copyWorkspace(from: string): WorkspaceCopy {
  const root = mkdtempSync(join(tmpdir(), 'blog-workspace-'));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: from,
  })
    .toString()
    .split('\0')
    .filter((f) => f !== '' && existsSync(join(from, f)));
  for (const file of files) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    copyFileSync(join(from, file), join(root, file));
  }
  linkNodeModules(from, root);
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}

function linkNodeModules(from: string, root: string): void {
  const modules = join(from, 'node_modules');
  mkdirSync(join(root, 'node_modules', '@blog'), { recursive: true });
  for (const entry of readdirSync(modules)) {
    if (entry === '@blog' || entry === '.package-lock.json') continue;
    symlinkSync(join(modules, entry), join(root, 'node_modules', entry));
  }
  // Relative links (../../libs/proto) resolve inside the copy.
  for (const pkg of readdirSync(join(modules, '@blog'))) {
    symlinkSync(readlinkSync(join(modules, '@blog', pkg)), join(root, 'node_modules', '@blog', pkg));
  }
  // Workspaces with dependencies of their own (versions the root cannot hoist).
  for (const parent of ['apps', 'libs', 'tools']) {
    if (!existsSync(join(from, parent))) continue;
    for (const dir of readdirSync(join(from, parent))) {
      const own = join(from, parent, dir, 'node_modules');
      if (existsSync(own) && existsSync(join(root, parent, dir)))
        symlinkSync(own, join(root, parent, dir, 'node_modules'));
    }
  }
  if (existsSync(join(from, 'e2e', 'node_modules')))
    symlinkSync(join(from, 'e2e', 'node_modules'), join(root, 'e2e', 'node_modules'));
}
