// Two gateway replicas sharing rate-limit counters through a real Redis (redis-server started here on a free port;
// REDIS_SERVER names another binary). Without REDIS_URL each replica would count alone.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './testing/harness';
import { eventually } from './testing/http';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

describe('rate limits shared through Redis', () => {
  let redis: ChildProcess;
  let replicas: Harness[] = [];
  let redisUrl: string;

  beforeAll(async () => {
    const port = await freePort();
    redis = spawn(
      process.env['REDIS_SERVER'] ?? 'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    redis.on('error', (error) => {
      throw new Error(`cannot start redis-server (install it, or set REDIS_SERVER): ${error.message}`);
    });
    redisUrl = `redis://127.0.0.1:${port}`;
    const probe = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0 });
    probe.on('error', () => undefined);
    await eventually(async () => expect(await probe.ping()).toBe('PONG'));
    probe.disconnect();
    const settings = { redisUrl, rateLimitPerMinute: 6, authRateLimitPerMinute: 2 };
    replicas = [await startHarness({ settings }), await startHarness({ settings })];
  });
  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    redis?.kill('SIGTERM');
  });

  it('counts one client across both replicas', async () => {
    const [a, b] = replicas;
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await a.http.get('/healthz')).status);
    for (let i = 0; i < 4; i++) statuses.push((await b.http.get('/healthz')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
    const limited = await a.http.get('/healthz');
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RESOURCE_EXHAUSTED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
