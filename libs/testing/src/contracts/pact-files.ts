// Where the message pacts live and how a consumer's freshly generated pacts are held against the committed ones:
// the consumer tests write into a temporary directory, and a pact that differs from its committed copy (or a committed
// pact the tests no longer generate) fails, unless PACT_UPDATE=1 asks to write them into the repository.
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** PACTS_DIR is the repository's folder of message pacts (`<consumer>-<provider>.json`). */
export const PACTS_DIR = join(__dirname, '..', '..', '..', '..', 'contracts', 'pacts');

/** PactFile is the part of a pact file the layer reads. */
export interface PactFile {
  consumer: { name: string };
  provider: { name: string };
  interactions: { description: string; type: string }[];
}

/** readPact parses one pact file. */
export function readPact(path: string): PactFile {
  return JSON.parse(readFileSync(path, 'utf8')) as PactFile;
}

/** committedPacts lists the committed pact files, optionally only those of one consumer or one provider. */
export function committedPacts(filter: { consumer?: string; provider?: string } = {}): string[] {
  if (!existsSync(PACTS_DIR)) return [];
  return readdirSync(PACTS_DIR)
    .filter((name) => name.endsWith('.json'))
    .map((name) => join(PACTS_DIR, name))
    .filter((path) => {
      const pact = readPact(path);
      return (
        (!filter.consumer || pact.consumer.name === filter.consumer) &&
        (!filter.provider || pact.provider.name === filter.provider)
      );
    });
}

/** PactDrift is one difference between the generated and the committed pacts of a consumer. */
export interface PactDrift {
  file: string;
  problem: 'missing' | 'differs' | 'stale';
}

/**
 * comparePacts holds the pacts a consumer's tests generated in `generatedDir` against the committed ones; with
 * `update` it copies them into the repository (and deletes stale ones) and reports nothing.
 */
export function comparePacts(consumer: string, generatedDir: string, update: boolean): PactDrift[] {
  const generated = readdirSync(generatedDir).filter((name) => name.endsWith('.json'));
  const drift: PactDrift[] = [];
  for (const name of generated) {
    const committed = join(PACTS_DIR, name);
    const fresh = join(generatedDir, name);
    if (update) copyFileSync(fresh, committed);
    else if (!existsSync(committed)) drift.push({ file: name, problem: 'missing' });
    else if (JSON.stringify(readPact(committed)) !== JSON.stringify(readPact(fresh)))
      drift.push({ file: name, problem: 'differs' });
  }
  for (const path of committedPacts({ consumer })) {
    const name = path.slice(PACTS_DIR.length + 1);
    if (generated.includes(name)) continue;
    if (update) rmSync(path);
    else drift.push({ file: name, problem: 'stale' });
  }
  return drift;
}
