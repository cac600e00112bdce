// The one entry point of the npm scripts (run from source by tsx, no build):
//   npm run stack:up|stack:down|stack:status  ->  tools/cli.ts stack up|down|status
//   npm run connect -- <verb>                 ->  tools/cli.ts connect <verb>
//   npm start                                 ->  tools/cli.ts start
//   npm run render                            ->  tools/cli.ts render (the files derived from libs/catalog)
//   npm run certs                             ->  tools/cli.ts certs (DEV-ONLY mTLS certificates)
//   npm run kafka-acls                        ->  tools/cli.ts kafka-acls (the catalog's ACLs on KAFKA_BROKERS)
//   npx blog <verb>                           ->  tools/cli.ts blog <verb> (libs/ops/bin/blog.cjs)
//   npm run test:stack (part of npm test)     ->  tools/cli.ts with-stack -- nx run-many -t test-int e2e
// @blog/proto (the topic list) needs its generated code, which a fresh clone lacks: it is generated first,
// and only then are the commands, which import it, loaded.
import { ConnectError, ConnectTimeoutError, ConnectorFailedError } from '@blog/kafka-connect';
import { repoRoot } from './stack/config';
import { StackError } from './stack/errors';
import { ensureProtoGenerated } from './stack/proto-generated';

// `.js` in a dynamic import is how TypeScript (nodenext) spells the sibling .ts module; tsx resolves it.
const commands: Record<string, () => Promise<{ main(args: string[]): Promise<number> }>> = {
  stack: () => import('./stack/cli.js'),
  connect: () => import('./connect/cli.js'),
  start: () => import('./start/cli.js'),
  'with-stack': () => import('./with-stack/cli.js'),
  blog: () => import('./blog/cli.js'),
  render: () => import('./render/cli.js'),
  certs: () => import('./certs/cli.js'),
  'kafka-acls': () => import('./stack/kafka/apply-acls.js'),
};

/** expected failures print as ONE line (they name the fix); anything else with its stack. */
const expected = [StackError, ConnectError, ConnectTimeoutError, ConnectorFailedError];

async function run(name: string, args: string[]): Promise<number> {
  const load = commands[name];
  if (!load) {
    console.error(`usage: tools/cli.ts ${Object.keys(commands).join('|')} ...`);
    return 2;
  }
  ensureProtoGenerated(repoRoot);
  return (await load()).main(args);
}

const [name = '', ...args] = process.argv.slice(2);
run(name, args).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (expected.some((type) => error instanceof type)) console.error(`${name}: ${(error as Error).message}`);
    else console.error(`${name}:`, error);
    process.exit(1);
  },
);
