// The sagas through the running system (`npm start`: the local stack, the six services and the gateway), measured
// from outside over REST like a client:
//   sign-up at rest   one sign-up at a time: the 202 of POST /v1/accounts to ACTIVE, polled every 10 ms; p50, p99
//                     (goals: p50 <= 100 ms, p99 <= 300 ms);
//   publish sustained posts submitted to one blog at a fixed concurrency for a while, each followed to PUBLISHED in
//                     the blog's list; saga events per second (3 per post: PostSubmitted, the blog's answer,
//                     PostPublished; goal >= 1,000/s sustained);
// and the resident memory of every app process (the pid files of `npm start`) idle, then at the end of the load.
// The gateway's per-client limits must be out of the way: start it with GATEWAY_AUTH_RATE_LIMIT_PER_MINUTE and
// GATEWAY_RATE_LIMIT_PER_MINUTE raised (benchmarks/README.md).
//
//   npm run bench:sagas -- [sign-ups=50] [publish-seconds=20] [concurrency=16]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { rssMbOf } from './support/child';
import { argument, machine } from './support/load';

const signUps = argument(0, 50);
const publishSeconds = argument(1, 20);
const concurrency = argument(2, 16);
const base = process.env['GATEWAY_URL'] ?? `http://127.0.0.1:${process.env['GATEWAY_PORT'] ?? 8080}`;
const stackDir = process.env['STACK_DIR'] ?? join(__dirname, '..', '.stack');
const EVENTS_PER_POST = 3;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const unique = () => `b${Math.random().toString(36).slice(2, 12)}`;

async function call(method: string, path: string, body?: unknown, token?: string) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** signUp creates an account and returns the time from its 202 to ACTIVE (polled every 10 ms, 30 s at most). */
async function signUp(): Promise<{ ms: number; email: string; password: string; accountId: string }> {
  const nickname = unique();
  const email = `${nickname}@example.com`;
  const password = 'correct horse battery';
  const created = await call('POST', '/v1/accounts', { email, password, nickname });
  if (created.status !== 202) throw new Error(`sign-up: ${created.status} ${JSON.stringify(created.body)}`);
  const accepted = performance.now();
  const accountId = created.body.accountId as string;
  for (const until = accepted + 30_000; performance.now() < until; await sleep(10)) {
    const account = await call('GET', `/v1/accounts/${accountId}`);
    if (account.body?.status === 'ACTIVE')
      return { ms: performance.now() - accepted, email, password, accountId };
  }
  throw new Error(`sign-up ${accountId} not ACTIVE within 30 s`);
}

function appMemory(): Map<string, number> {
  const dir = join(stackDir, 'run', 'apps');
  const memory = new Map<string, number>();
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((file) => file.endsWith('.pid'));
  } catch {
    return memory;
  }
  for (const file of files) {
    memory.set(file.replace(/\.pid$/, ''), rssMbOf(Number(readFileSync(join(dir, file), 'utf8').trim())));
  }
  return memory;
}

const at = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];

async function main(): Promise<void> {
  console.log(
    `Sagas through ${base}: ${signUps} sign-ups at rest, publish for ${publishSeconds} s at ${concurrency}`,
  );
  console.log(`  start: ${machine()}`);
  const idle = appMemory();

  const latencies: number[] = [];
  let owner: Awaited<ReturnType<typeof signUp>> | undefined;
  for (let i = 0; i < signUps; i++) {
    owner = await signUp();
    latencies.push(owner.ms);
  }
  latencies.sort((a, b) => a - b);
  const p50 = at(latencies, 0.5);
  const p99 = at(latencies, 0.99);
  console.log(`\nsign-up saga at rest, 202 -> ACTIVE (${latencies.length} sign-ups, one at a time):`);
  console.log(
    `  p50 ${p50.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms, max ${latencies[latencies.length - 1].toFixed(0)} ms`,
  );
  console.log(
    `  ${p50 <= 100 ? 'MET    ' : 'NOT MET'}  p50: ${(p50 / 100).toFixed(2)}x the goal of 100 ms (lower is better)`,
  );
  console.log(
    `  ${p99 <= 300 ? 'MET    ' : 'NOT MET'}  p99: ${(p99 / 300).toFixed(2)}x the goal of 300 ms (lower is better)`,
  );

  if (!owner) return;
  const login = await call('POST', '/v1/auth/login', { email: owner.email, password: owner.password });
  const token = login.body.accessToken as string;
  const blog = await call('GET', `/v1/users/${owner.accountId}/blog`);
  const blogId = blog.body.blogId as string;
  const submitted = new Set<string>();
  const started = performance.now();
  const until = started + publishSeconds * 1000;
  let refused = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const post = await call(
          'POST',
          `/v1/blogs/${blogId}/posts`,
          { title: 'Bench', content: 'x'.repeat(200) },
          token,
        );
        if (post.status === 202) submitted.add(post.body.postId as string);
        else refused++;
      }
    }),
  );
  // Follow every submitted post to PUBLISHED through the blog's public list (newest first, pages of 100).
  const published = new Set<string>();
  const deadline = performance.now() + 120_000;
  let lastPublishedAt = performance.now();
  while (published.size < submitted.size && performance.now() < deadline) {
    let cursor: string | null = null;
    do {
      const page = await call(
        'GET',
        `/v1/blogs/${blogId}/posts?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      for (const item of page.body.items as { postId: string }[]) {
        if (submitted.has(item.postId) && !published.has(item.postId)) {
          published.add(item.postId);
          lastPublishedAt = performance.now();
        }
      }
      cursor = page.body.nextCursor as string | null;
    } while (cursor && published.size < submitted.size);
    if (published.size < submitted.size) await sleep(200);
  }
  const seconds = (lastPublishedAt - started) / 1000;
  const eventsPerSecond = (published.size * EVENTS_PER_POST) / seconds;
  console.log(`\npublish saga, ${concurrency} writers for ${publishSeconds} s:`);
  console.log(
    `  ${submitted.size} submitted (${refused} refused), ${published.size} PUBLISHED in ${seconds.toFixed(1)} s: ` +
      `${(published.size / seconds).toFixed(1)} posts/s = ${eventsPerSecond.toFixed(0)} saga events/s`,
  );
  console.log(
    `  ${eventsPerSecond >= 1000 ? 'MET    ' : 'NOT MET'}  ${(eventsPerSecond / 1000).toFixed(2)}x the goal of 1,000 saga events/s`,
  );

  const loaded = appMemory();
  console.log(`\nresident memory (MiB), idle -> after the load:`);
  for (const [app, mb] of idle)
    console.log(`  ${app.padEnd(14)} ${mb.toFixed(0).padStart(5)} -> ${(loaded.get(app) ?? 0).toFixed(0)}`);
  console.log(`  end: ${machine()}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
