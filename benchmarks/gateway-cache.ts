// Hot public reads with and without the gateway's response cache: two gateways over the same fake services (one
// with GATEWAY_RESPONSE_CACHE_TTL_MS-style caching on, in-process, 1 s TTL), the same GET /v1/blogs/{id} at the same
// concurrency, runs interleaved round by round. Also a revalidation (If-None-Match -> 304) through the cached gateway.
//
//   npm run bench:gateway-cache -- [seconds=5] [rounds=2] [connections=16]
import { type Child, startChild } from './support/child';
import { argument, summaryOf, httpLoad, machine, printSummaries, runRounds } from './support/load';

const seconds = argument(0, 5);
const rounds = argument(1, 2);
const connections = argument(2, 16);

interface Listening {
  readonly port: number;
}
interface Backend {
  readonly env: Record<string, string>;
  readonly blogId: string;
}

async function main(): Promise<void> {
  console.log(`Gateway response cache: ${connections} connections, ${seconds} s per run, ${rounds} rounds`);
  console.log(`  start: ${machine()}`);
  const children: Child<unknown>[] = [];
  try {
    const backend = await startChild<Backend>('backend', 'backend.server.ts');
    children.push(backend);
    const args = [JSON.stringify(backend.details.env)];
    const plain = await startChild<Listening>('gateway', 'gateway.server.ts', { args });
    children.push(plain);
    const cached = await startChild<Listening>('gateway, cache on', 'gateway.server.ts', {
      args,
      env: { GATEWAY_CACHE_TTL_MS: '1000' },
    });
    children.push(cached);
    const path = `/v1/blogs/${backend.details.blogId}`;
    const url = (child: Child<Listening>) => `http://127.0.0.1:${child.details.port}${path}`;
    const load = { connections, seconds };
    const etag = (await fetch(url(cached))).headers.get('etag') ?? '';
    for (const child of [plain, cached]) await httpLoad(url(child), { connections, seconds: 1 });

    const results = await runRounds(
      [
        {
          name: 'cache off (baseline)',
          run: () => httpLoad(url(plain), load),
          cpuMs: () => plain.cpuMs() + backend.cpuMs(),
        },
        {
          name: 'cache on, 1 s TTL',
          run: () => httpLoad(url(cached), load),
          cpuMs: () => cached.cpuMs() + backend.cpuMs(),
        },
        {
          name: 'cache on, If-None-Match (304)',
          run: () => httpLoad(url(cached), { ...load, status: 304, headers: { 'if-none-match': etag } }),
          cpuMs: () => cached.cpuMs() + backend.cpuMs(),
        },
      ],
      rounds,
    );
    console.log(
      `\nGET /v1/blogs/{id}, median over ${rounds} rounds (CPU: the gateway and the blog service):`,
    );
    const s = printSummaries(results);
    const base = summaryOf(s, 'cache off (baseline)');
    for (const name of ['cache on, 1 s TTL', 'cache on, If-None-Match (304)']) {
      const m = summaryOf(s, name);
      console.log(
        `  ${name}: ${(m.rps / base.rps).toFixed(2)}x the throughput, ${(base.cpuUsPerRequest / m.cpuUsPerRequest).toFixed(2)}x less CPU per request`,
      );
    }
    console.log(`  end: ${machine()}`);
  } finally {
    for (const child of children.reverse()) await child.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
