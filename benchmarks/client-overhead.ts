// What the framework client adds to a unary call: a plain grpc-js call (the baseline) against the framework client's
// whole wrapper chain (tracing -> metrics -> breaker -> retry -> selector -> transport), both calling UserService.GetUser
// on one grpc-js server on 127.0.0.1, interleaved call by call so both see the same machine load.
//
//   npx tsx --tsconfig benchmarks/tsconfig.json benchmarks/client-overhead.ts [calls=2000] [warmup=200]
//   npm run bench:client-overhead
import { createClient, StaticRegistry } from '@blog/framework';
import { user } from '@blog/proto';
import { credentials, Metadata } from '@grpc/grpc-js';
import pino from 'pino';
import { Registry } from 'prom-client';
import { profile, startUserServer } from '../libs/framework/src/client/testing/user-server';
import { argument, printTable, runInterleaved } from './support/latency';

const calls = argument(0, 2000);
const warmup = argument(1, 200);
/** DEADLINE_MS is the same on both sides: grpc-js arms a timer per call for it either way. */
const DEADLINE_MS = 2000;

async function main(): Promise<void> {
  const server = await startUserServer({ getUser: async ({ userId }) => profile(userId) });
  const plain = new user.UserServiceClient(server.address, credentials.createInsecure());
  const framework = createClient(user.UserServiceService, {
    service: 'user',
    registry: new StaticRegistry({ USER_SERVICE_ADDR: server.address }),
    logger: pino({ level: 'silent' }),
    metrics: new Registry(),
    methods: { getUser: { idempotent: true, deadlineMs: DEADLINE_MS } },
  });
  const expectUser = (userId: string, answer: user.GetUserResponse) => {
    if (answer.user?.userId !== userId) throw new Error(`unexpected answer for ${userId}`);
  };
  try {
    const samples = await runInterleaved(
      [
        {
          name: 'grpc-js client (baseline)',
          call: async () => {
            const request = { userId: 'u-plain' };
            const answer = await new Promise<user.GetUserResponse>((resolve, reject) =>
              plain.getUser(
                request,
                new Metadata(),
                { deadline: Date.now() + DEADLINE_MS },
                (error, response) => (error ? reject(error) : resolve(response)),
              ),
            );
            expectUser(request.userId, answer);
          },
        },
        {
          name: 'framework client, full chain',
          call: async () => expectUser('u-framework', await framework.getUser({ userId: 'u-framework' })),
        },
      ],
      { rounds: calls, warmup, budgetMs: 25_000 },
    );
    if (server.calls.getUser !== [...samples.values()].reduce((sum, s) => sum + s.length, 0) + 2 * warmup) {
      throw new Error(
        `the server saw ${server.calls.getUser} calls: some call went elsewhere or was retried`,
      );
    }
    printTable(
      `UserService.GetUser, one unary call at a time on 127.0.0.1 (after ${warmup} warm-up calls each):`,
      samples,
    );
  } finally {
    plain.close();
    framework.close();
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
