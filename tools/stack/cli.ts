// `npm run stack:up [-- --fresh]`, `npm run stack:down`, `npm run stack:status` (through tools/cli.ts), and
// `stack watchdog <stackDir>`, the connector watchdog the stack runs in the background (started by `up`).
import { localWatchdogTarget, runWatchdog, watchdogSettingsFromEnv } from './connect/watchdog';
import {
  claimStack,
  ensureStackUp,
  formatStatus,
  loadStackConfig,
  stackDown,
  stackInfo,
  stackStatus,
} from './index';

const usage = 'usage: stack up [--fresh] | down | status | watchdog   (STACK_FRESH=1 is --fresh)';

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
      console.log(
        `stack ready in ${(result.totalMs / 1000).toFixed(1)}s: kafka ${info.kafkaBrokers.join(',')}, connect ${info.connectUrl}, postgres ${config.host}:${config.ports.postgres}/${config.database}`,
      );
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
    case 'watchdog': {
      // Runs until SIGTERM (stack:down). Exit at once then: the loop keeps no state worth finishing, and a remedy in
      // progress holds the stack lock, which the `down` that sends the signal would otherwise wait for.
      runWatchdog(localWatchdogTarget(config), { settings: watchdogSettingsFromEnv() });
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        process.once(signal, () => {
          console.log(`${new Date().toISOString()} ${signal}: watchdog stopped`);
          process.exit(0);
        });
      }
      return new Promise<number>(() => undefined); // the loop's timer keeps the process alive
    }
    default:
      console.error(usage);
      return 2;
  }
}
