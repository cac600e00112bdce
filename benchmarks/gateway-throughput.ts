// Throughput of the gateway against named baselines, each server in its own process, at the same concurrency, with
// the targets' runs interleaved round by round so that all of them share the machine's load:
//   bare node:http      GET /healthz from a node:http handler (baseline for the gateway without downstream)
//   bare Fastify        GET /healthz from a Fastify app without plugins (baseline for the gateway without downstream)
//   gateway /healthz    the gateway as main.ts runs it (logger, metrics, tracing hooks, rate limit, helmet, ...)
//   direct grpc-js      blog.GetBlog called by a plain grpc-js client on the fake blog service (baseline for reads)
//   gateway /v1/blogs   GET /v1/blogs/{id} through the gateway to that same service, by an undici client timed the
//                       same way as the grpc-js one (autocannon, used for /healthz, reports whole milliseconds)
// and the gateway's resident memory idle and under that load. The goals are the (benchmarks/README.md).
//
// On a machine of 2 CPUs or more the HTTP servers measured (bare node:http, bare Fastify, the gateway) run on CPU 1
// and everything else (the load generator, the blog service) on CPU 0, as a gateway has its own CPU in any deployment:
// without that, the gateway, the service behind it and the load generator fight over the same two CPUs and the
// pass-through ratio measures the scheduler. --no-pin lets them float.
//
//   npm run bench:gateway-throughput -- [seconds=5] [rounds=2] [connections=16] [--cpu-prof] [--no-pin]
//   (--cpu-prof writes the gateway's CPU profile of the measured runs to benchmarks/profiles/)
import { cpus } from 'node:os';
import { join } from 'node:path';
import { credentials, Metadata } from '@grpc/grpc-js';
import { blog } from '@blog/proto';
import { type Child, pinSelf, startChild } from './support/child';
import {
  argument,
  callLoad,
  httpCallLoad,
  httpLoad,
  machine,
  printGoals,
  printSummaries,
  runRounds,
  type Target,
} from './support/load';

const seconds = argument(0, 5);
const rounds = argument(1, 2);
const connections = argument(2, 16);
const profile = process.argv.includes('--cpu-prof');
/** only: --only=<regexp> measures only the targets whose name matches (the goals then print what they can). */
const only = new RegExp(process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length) ?? '.');
const pin = !process.argv.includes('--no-pin') && cpus().length >= 2 && pinSelf('0');
/** server / others: where the measured HTTP servers, and the rest, run when pinned. */
const server = pin ? { cpus: '1' } : {};
const others = pin ? { cpus: '0' } : {};

interface Listening {
  readonly port: number;
}
interface Backend {
  readonly env: Record<string, string>;
  readonly blogId: string;
}

async function main(): Promise<void> {
  console.log(`Gateway throughput: ${connections} connections, ${seconds} s per run, ${rounds} rounds`);
  console.log(`  start: ${machine()}`);
  console.log(
    pin
      ? '  pinned: HTTP servers measured on CPU 1; load generator and blog service on CPU 0'
      : '  not pinned: every process on every CPU',
  );
  const children: Child<unknown>[] = [];
  try {
    const http = await startChild<Listening>('bare node:http', 'bare-http.server.ts', server);
    children.push(http);
    const fastify = await startChild<Listening>('bare Fastify', 'bare-fastify.server.ts', server);
    children.push(fastify);
    const backend = await startChild<Backend>('backend', 'backend.server.ts', others);
    children.push(backend);
    const gateway = await startChild<Listening>('gateway', 'gateway.server.ts', {
      args: [JSON.stringify(backend.details.env)],
      ...server,
    });
    children.push(gateway);

    const blogAddress = backend.details.env['BLOG_SERVICE_ADDR'];
    const grpc = new blog.BlogServiceClient(blogAddress, credentials.createInsecure());
    const blogId = backend.details.blogId;
    const getBlog = () =>
      new Promise<void>((resolve, reject) =>
        grpc.getBlog({ blogId }, new Metadata(), { deadline: Date.now() + 5000 }, (error) =>
          error ? reject(error) : resolve(),
        ),
      );
    const load = { connections, seconds };
    const url = (child: Child<Listening>, path: string) => `http://127.0.0.1:${child.details.port}${path}`;
    const blogPath = `/v1/blogs/${blogId}`;

    // Warm-up: JIT, connection pools, the gateway's channel to the blog service.
    for (const target of [
      url(http, '/healthz'),
      url(fastify, '/healthz'),
      url(gateway, '/healthz'),
      url(gateway, blogPath),
    ]) {
      await httpLoad(target, { connections, seconds: 1 });
    }
    await callLoad(getBlog, { connections, seconds: 1 });
    const idleRss = gateway.rssMb();
    let peakRss = idleRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, gateway.rssMb())), 200);

    const targets: Target[] = [
      {
        name: 'bare node:http /healthz',
        run: () => httpLoad(url(http, '/healthz'), load),
        cpuMs: http.cpuMs,
      },
      {
        name: 'bare Fastify /healthz',
        run: () => httpLoad(url(fastify, '/healthz'), load),
        cpuMs: fastify.cpuMs,
      },
      { name: 'gateway /healthz', run: () => httpLoad(url(gateway, '/healthz'), load), cpuMs: gateway.cpuMs },
      { name: 'direct grpc-js GetBlog', run: () => callLoad(getBlog, load), cpuMs: backend.cpuMs },
      {
        name: 'gateway GET /v1/blogs/{id}',
        run: () => httpCallLoad(url(gateway, ''), blogPath, load),
        // The gateway and the blog service behind it.
        cpuMs: () => gateway.cpuMs() + backend.cpuMs(),
      },
      // One call in flight: the latency a hop through the gateway adds, without queueing behind other calls.
      {
        name: 'direct grpc-js GetBlog, 1 in flight',
        run: () => callLoad(getBlog, { connections: 1, seconds }),
        cpuMs: backend.cpuMs,
      },
      {
        name: 'gateway GET /v1/blogs/{id}, 1 in flight',
        run: () => httpCallLoad(url(gateway, ''), blogPath, { connections: 1, seconds }),
        cpuMs: () => gateway.cpuMs() + backend.cpuMs(),
      },
    ];
    if (profile) gateway.startProfile();
    const results = await runRounds(
      targets.filter((target) => only.test(target.name)),
      rounds,
    );
    clearInterval(sampler);
    const profileFile = join(
      __dirname,
      'profiles',
      `gateway-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`,
    );
    if (profile) await gateway.stopProfile(profileFile);
    grpc.close();

    console.log(`\nMedian over ${rounds} rounds:`);
    const s = printSummaries(results);
    const get = (name: string) =>
      s.get(name) ?? { rps: NaN, p50Ms: NaN, p99Ms: NaN, errors: 0, cpuUsPerRequest: NaN };
    console.log(`\nGoals (issue 19):`);
    printGoals([
      {
        name: 'gateway /healthz vs bare Fastify',
        measured: get('gateway /healthz').rps / get('bare Fastify /healthz').rps,
        goal: 0.9,
      },
      {
        name: 'gateway /healthz vs bare node:http',
        measured: get('gateway /healthz').rps / get('bare node:http /healthz').rps,
        goal: 0.7,
      },
      {
        name: 'gateway GET /v1/blogs/{id} vs direct grpc-js',
        measured: get('gateway GET /v1/blogs/{id}').rps / get('direct grpc-js GetBlog').rps,
        goal: 0.8,
      },
      {
        name: `p50 added by the gateway, one call in flight`,
        measured:
          get('gateway GET /v1/blogs/{id}, 1 in flight').p50Ms -
          get('direct grpc-js GetBlog, 1 in flight').p50Ms,
        goal: 1,
        atMost: true,
        unit: ' ms',
      },
      {
        name: `p50 added by the gateway, ${connections} in flight`,
        measured: get('gateway GET /v1/blogs/{id}').p50Ms - get('direct grpc-js GetBlog').p50Ms,
        goal: 1,
        atMost: true,
        unit: ' ms',
      },
    ]);
    console.log(
      `\nCPU per request (server processes; steadier than req/s on a shared machine), as a throughput ratio:`,
    );
    printGoals([
      {
        name: 'gateway /healthz vs bare Fastify',
        measured: get('bare Fastify /healthz').cpuUsPerRequest / get('gateway /healthz').cpuUsPerRequest,
        goal: 0.9,
      },
      {
        name: 'gateway /healthz vs bare node:http',
        measured: get('bare node:http /healthz').cpuUsPerRequest / get('gateway /healthz').cpuUsPerRequest,
        goal: 0.7,
      },
      {
        name: 'gateway GET /v1/blogs/{id} vs direct grpc-js',
        measured:
          get('direct grpc-js GetBlog').cpuUsPerRequest / get('gateway GET /v1/blogs/{id}').cpuUsPerRequest,
        goal: 0.8,
      },
    ]);
    console.log(
      `\nGateway resident memory: idle ${idleRss.toFixed(0)} MiB, peak under load ${peakRss.toFixed(0)} MiB`,
    );
    console.log(`  end: ${machine()}`);
    if (profile) console.log(`CPU profile of the gateway (measured runs only): ${profileFile}`);
  } finally {
    for (const child of children.reverse()) await child.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
