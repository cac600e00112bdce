import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** packageVersion returns the version of the nearest package.json at or above dir (an app passes __dirname). */
export function packageVersion(dir: string): string {
  for (let current = dir; ; current = dirname(current)) {
    const file = join(current, 'package.json');
    if (existsSync(file))
      return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? '0.0.0';
    if (dirname(current) === current) return '0.0.0';
  }
}
