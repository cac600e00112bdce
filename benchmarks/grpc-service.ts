// A framework gRPC service against a bare grpc-js server running the same handler (servers/grpc.server.ts), each in
// its own process, called by the same plain grpc-js client at the same concurrency, runs interleaved round by round.
// Goal (issue 19): the framework's service >= 0.85x the bare server's throughput.
//
//   npm run bench:grpc-service -- [seconds=5] [rounds=2] [connections=16] [--cpu-prof]
//   (--cpu-prof writes the framework service's CPU profile of the measured runs to benchmarks/profiles/)
import { join } from 'node:path';
import { credentials, Metadata } from '@grpc/grpc-js';
import { blog } from '@blog/proto';
import { type Child, startChild } from './support/child';
import {
  argument,
  summaryOf,
  callLoad,
  machine,
  printGoals,
  printSummaries,
  runRounds,
} from './support/load';

const seconds = argument(0, 5);
const rounds = argument(1, 2);
const connections = argument(2, 16);
const profile = process.argv.includes('--cpu-prof');

interface Served {
  readonly port: number;
  readonly blogId: string;
}

async function main(): Promise<void> {
  console.log(`gRPC service: ${connections} calls in flight, ${seconds} s per run, ${rounds} rounds`);
  console.log(`  start: ${machine()}`);
  const children: Child<Served>[] = [];
  const clients: blog.BlogServiceClient[] = [];
  try {
    const bare = await startChild<Served>('bare grpc-js', 'grpc.server.ts', { args: ['bare'] });
    children.push(bare);
    const framework = await startChild<Served>('framework', 'grpc.server.ts', { args: ['framework'] });
    children.push(framework);
    const caller = (child: Child<Served>) => {
      const client = new blog.BlogServiceClient(
        `127.0.0.1:${child.details.port}`,
        credentials.createInsecure(),
      );
      clients.push(client);
      return () =>
        new Promise<void>((resolve, reject) =>
          client.getBlog(
            { blogId: child.details.blogId },
            new Metadata(),
            { deadline: Date.now() + 5000 },
            (error) => (error ? reject(error) : resolve()),
          ),
        );
    };
    const callBare = caller(bare);
    const callFramework = caller(framework);
    await callLoad(callBare, { connections, seconds: 1 });
    await callLoad(callFramework, { connections, seconds: 1 });
    const load = { connections, seconds };
    if (profile) framework.startProfile();
    const results = await runRounds(
      [
        { name: 'bare grpc-js server', run: () => callLoad(callBare, load), cpuMs: bare.cpuMs },
        { name: 'framework service', run: () => callLoad(callFramework, load), cpuMs: framework.cpuMs },
      ],
      rounds,
    );
    const profileFile = join(
      __dirname,
      'profiles',
      `grpc-service-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`,
    );
    if (profile) await framework.stopProfile(profileFile);
    console.log(`\nGetBlog, median over ${rounds} rounds:`);
    const s = printSummaries(results);
    const b = summaryOf(s, 'bare grpc-js server');
    const f = summaryOf(s, 'framework service');
    printGoals([
      { name: 'framework service vs bare grpc-js (req/s)', measured: f.rps / b.rps, goal: 0.85 },
      {
        name: 'framework service vs bare grpc-js (CPU per request)',
        measured: b.cpuUsPerRequest / f.cpuUsPerRequest,
        goal: 0.85,
      },
    ]);
    console.log(
      `  resident memory: bare ${bare.rssMb().toFixed(0)} MiB, framework ${framework.rssMb().toFixed(0)} MiB`,
    );
    console.log(`  end: ${machine()}`);
    if (profile) console.log(`CPU profile of the framework service (measured runs only): ${profileFile}`);
  } finally {
    for (const client of clients) client.close();
    for (const child of children.reverse()) await child.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
