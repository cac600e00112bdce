// `npm run render` (tools/cli.ts render): rewrites every file derived from the catalog; `--check` only lists drift.
import { repoRoot } from '../stack/config';
import { driftedFiles, RENDER_COMMAND, writeRendered } from './render';

/** main renders (or with --check, checks) the catalog's files; exit 1 when --check finds drift. */
export async function main(args: string[]): Promise<number> {
  if (args.includes('--check')) {
    const drifted = driftedFiles(repoRoot);
    for (const path of drifted) console.error(`${path} differs from the catalog: run \`${RENDER_COMMAND}\``);
    return drifted.length === 0 ? 0 : 1;
  }
  const written = writeRendered(repoRoot);
  for (const path of written) console.log(`rendered ${path}`);
  if (written.length === 0) console.log('every rendered file is up to date');
  return 0;
}
