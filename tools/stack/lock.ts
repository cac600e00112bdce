// One stack command at a time: `npm run stack:up` and the global setups of test projects that Nx runs in
// parallel all go through this lock, so two of them never start the same PostgreSQL or Kafka.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StackError } from './errors';
import { isAlive } from './process/processes';

/** withStackLock runs fn while holding .stack/run/stack.lock; a lock left by a dead process is taken over. */
export async function withStackLock<T>(
  runDir: string,
  fn: () => Promise<T>,
  timeoutMs = 10 * 60_000,
): Promise<T> {
  const file = join(runDir, 'stack.lock');
  mkdirSync(runDir, { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSafe(file));
      if (!Number.isInteger(holder) || holder <= 0 || !isAlive(holder)) {
        rmSync(file, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new StackError(
          `another stack command (pid ${holder}) holds ${file}: wait for it or stop that process`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(file, { force: true });
  }
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}
