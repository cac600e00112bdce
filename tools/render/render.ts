// Rendering the catalog's views into the working tree, and finding the files that drifted from it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderTargets } from './targets';

/** RENDER_COMMAND is what fixes a drifted file. */
export const RENDER_COMMAND = 'npm run render';

/** Rendered is one target's current and freshly rendered content. */
export interface Rendered {
  readonly path: string;
  readonly current: string | undefined;
  readonly fresh: string;
}

/** renderAll renders every target against the files under root (nothing is written). */
export function renderAll(root: string): Rendered[] {
  return renderTargets().map((target) => {
    const file = join(root, target.path);
    const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    return { path: target.path, current, fresh: target.render(current, root) };
  });
}

/** driftedFiles are the targets whose committed content differs from a fresh rendering. */
export const driftedFiles = (root: string): string[] =>
  renderAll(root)
    .filter((r) => r.current !== r.fresh)
    .map((r) => r.path);

/** writeRendered writes every target that changed and returns their paths. */
export function writeRendered(root: string): string[] {
  const changed = renderAll(root).filter((r) => r.current !== r.fresh);
  for (const r of changed) writeFileSync(join(root, r.path), r.fresh);
  return changed.map((r) => r.path);
}
