// `npm run stack:up [-- --fresh]`, `npm run stack:down`, `npm run stack:status` (through tools/cli.ts).
import { claimStack, ensureStackUp, formatStatus, loadStackConfig, stackDown, stackInfo, stackStatus } from './index';

const usage = 'usage: stack up [--fresh] | down | status   (STACK_FRESH=1 is --fresh)';

/** main runs `stack up|down|status`; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const [command, ...flags] = args;
  const log = (line: string) => console.log(line);
  const config = loadStackConfig();
  switch (command) {
    case 'up': {
      const fresh = flags.includes('--fresh') || process.env['STACK_FRESH'] === '1';
      const result = await ensureStackUp({ config, fresh, log });
      // A developer's `up` owns the stack from now on: a test run that started it will not take it down.
      claimStack(config);
      const info = stackInfo(config);
      console.log(`stack ready in ${(result.totalMs / 1000).toFixed(1)}s: kafka ${info.kafkaBrokers.join(',')}, connect ${info.connectUrl}, postgres ${config.host}:${config.ports.postgres}/${config.database}`);
      return 0;
    }
    case 'down':
      await stackDown({ config, log });
      console.log('stack down');
      return 0;
    case 'status': {
      const parts = await stackStatus(config);
      console.log(formatStatus(parts));
      return parts.every((p) => p.up) ? 0 : 3;
    }
    default:
      console.error(usage);
      return 2;
  }
}
