// Sync against the local stack's PostgreSQL: locks exclude, leadership is held by one candidate at a time, and a
// SIGKILLed leader is replaced (its session dies with it, the lock with the session).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { repoRoot, stackSettings } from '../inbox/testing/stack';
import { createPgSync } from './pg.sync';
import { LockTimeoutError, type Sync } from './sync';

const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' });

describe('PgSync (PostgreSQL advisory locks)', () => {
  const settings = stackSettings();
  const syncs: Sync[] = [];
  const children: ChildProcessWithoutNullStreams[] = [];
  const sync = () => {
    const s = createPgSync({ connectionString: settings.visitorUrl, logger });
    syncs.push(s);
    return s;
  };
  const key = (what: string) => `it.${what}.${randomBytes(4).toString('hex')}`;
  afterEach(async () => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    await Promise.all(syncs.splice(0).map((s) => s.close()));
  });

  it('a lock is held by one holder until it is released', async () => {
    const [a, b] = [sync(), sync()];
    const name = key('lock');
    const release = await a.tryLock(name);
    expect(release).toBeDefined();
    expect(await b.tryLock(name)).toBeUndefined();
    await release?.();
    const again = await b.tryLock(name);
    expect(again).toBeDefined();
    await again?.();
  });

  it('withLock runs critical sections one at a time, and gives up after its wait with the key named', async () => {
    const [a, b] = [sync(), sync()];
    const name = key('section');
    let inside = 0;
    let overlap = false;
    const section = async () => {
      inside++;
      if (inside > 1) overlap = true;
      await new Promise((resolve) => setTimeout(resolve, 100));
      inside--;
    };
    await Promise.all([a.withLock(name, section), b.withLock(name, section), a.withLock(name, section)]);
    expect(overlap).toBe(false);

    const held = await a.tryLock(name);
    const refused = await b.withLock(name, async () => 'ran', { waitMs: 200 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(LockTimeoutError);
    expect((refused as Error).message).toMatch(
      new RegExp(`^lock ${name} is held elsewhere: gave up after \\d+ ms$`),
    );
    await held?.();
  });

  it('two candidates: exactly one leads and runs the jobs; when it resigns the other takes over', async () => {
    const name = key('leader');
    const runs = { a: 0, b: 0 };
    const a = sync().leader(name, { campaignIntervalMs: 100 });
    const b = sync().leader(name, { campaignIntervalMs: 100 });
    a.every('count', 50, () => void runs.a++);
    b.every('count', 50, () => void runs.b++);
    await a.start();
    await b.start();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);
    expect(runs.a).toBeGreaterThan(0);
    expect(runs.b).toBe(0);

    await a.stop();
    await expect.poll(() => b.isLeader(), { timeout: 5_000 }).toBe(true);
    await expect.poll(() => runs.b, { timeout: 5_000 }).toBeGreaterThan(0);
    expect(a.isLeader()).toBe(false);
  });

  it('a SIGKILLed leader process is replaced by the surviving candidate', async () => {
    const leadership = key('failover');
    const start = () => {
      // From the workspace root with its tsconfig, as the consumer crash test runs its child (npm test sets
      // TSX_TSCONFIG_PATH relative to the root).
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', join(__dirname, 'testing', 'leader.child.ts')],
        {
          cwd: repoRoot,
          env: {
            ...process.env,
            TSX_TSCONFIG_PATH: join(repoRoot, 'tools', 'tsconfig.json'),
            DATABASE_URL: settings.visitorUrl,
            LEADERSHIP: leadership,
            CAMPAIGN_INTERVAL_MS: '250',
          },
        },
      );
      children.push(child);
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const lines: { pid: number; leading?: boolean; at?: number; job?: string }[] = [];
      child.stdout.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      });
      const leads = () => lines.filter((l) => l.leading !== undefined).at(-1)?.leading === true;
      return { child, lines, leads, stderr: () => stderr };
    };
    const first = start();
    await vi.waitFor(() => expect(first.leads(), `first candidate's stderr: ${first.stderr()}`).toBe(true), {
      timeout: 20_000,
      interval: 100,
    });
    const second = start();
    // The second campaigns for a while and stays a follower: one leader, and only its job runs.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(second.leads()).toBe(false);
    expect(second.lines.filter((l) => l.job)).toEqual([]);

    const killedAt = Date.now();
    first.child.kill('SIGKILL');
    await expect.poll(second.leads, { timeout: 10_000 }).toBe(true);
    const tookOverMs = (second.lines.find((l) => l.leading)?.at ?? Number.NaN) - killedAt;
    process.stderr.write(
      `sync: the follower led ${tookOverMs} ms after the leader was SIGKILLed (campaign every 250 ms)\n`,
    );
    await expect.poll(() => second.lines.some((l) => l.job === 'tick'), { timeout: 5_000 }).toBe(true);
  });
});
