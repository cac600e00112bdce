// `npx blog <verb>` (tools/cli.ts blog ...): the @blog/ops CLI on this checkout's stack, plus the repo's own verbs:
// `connect` (the Debezium connector, tools/connect) and `stack` (tools/stack).
import { runCli } from '@blog/ops';
import { repoRoot } from '../stack/config';
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
