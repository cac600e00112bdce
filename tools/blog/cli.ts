// `npx blog <verb>` (tools/cli.ts blog ...): the @blog/ops CLI on this checkout's stack, plus the repo's own verbs:
// `connect` (the Debezium connector, tools/connect), `stack` (tools/stack) and `console` (the web console).
import { runCli } from '@blog/ops';
import { repoRoot } from '../stack/config';
import { runConsole } from './console';
import { opsTarget } from './target';

/** main runs one `blog` command line. */
export async function main(args: string[]): Promise<number> {
  let delegated: number | undefined;
  const code = await runCli(args, opsTarget(), repoRoot, undefined, (program) => {
    program
      .command('connect')
      .description('the Debezium connector: status | restart | pause | resume | delete | plugins | register')
      .allowUnknownOption()
      .helpOption(false)
      .argument('[args...]')
      .action(async (rest: string[]) => {
        delegated = await (await import('../connect/cli.js')).main(rest);
      });
    program
      .command('console')
      .description('serve the web console (CONSOLE_PORT, default 8090) until Ctrl-C')
      .action(async () => {
        const running = await runConsole();
        console.log(`console on ${running.url} (Ctrl-C stops)`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await running.close();
      });
    program
      .command('stack')
      .description('the local stack: up | down | status')
      .allowUnknownOption()
      .helpOption(false)
      .argument('[args...]')
      .action(async (rest: string[]) => {
        delegated = await (await import('../stack/cli.js')).main(rest);
      });
  });
  return delegated ?? code;
}
