// `tools/cli.ts with-stack -- <command...>`: runs a command while holding one lease on the local stack, so that
// every integration project and the e2e suite share one start of PostgreSQL, Kafka and Connect (each project's own
// global setup then finds it up and leaves it alone). The stack goes down at the end only if this run started it
// (a developer's `npm run stack:up` is never taken down), and the command's exit code is passed through.
import { spawn } from 'node:child_process';
import { acquireTestStack } from '../stack/test-stack';

/** main runs the command after `--` under a stack lease and returns its exit code. */
export async function main(args: string[]): Promise<number> {
  const [program, ...programArgs] = args[0] === '--' ? args.slice(1) : args;
  if (!program) {
    console.error('usage: tools/cli.ts with-stack -- <command> [args...]');
    return 2;
  }
  const log = (line: string) => process.stderr.write(`stack: ${line}\n`);
  const stack = await acquireTestStack({ log });
  try {
    return await new Promise<number>((resolve, reject) => {
      const child = spawn(program, programArgs, { stdio: 'inherit', shell: false });
      const forward = (signal: NodeJS.Signals) => child.kill(signal);
      process.on('SIGINT', forward).on('SIGTERM', forward);
      child.on('error', reject);
      child.on('exit', (code, signal) => {
        process.off('SIGINT', forward).off('SIGTERM', forward);
        resolve(code ?? (signal ? 1 : 0));
      });
    });
  } finally {
    if (await stack.release()) log('down (this run had started it)');
  }
}
