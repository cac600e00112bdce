import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withStackLock } from './lock';

describe('withStackLock', () => {
  it('runs holders one after the other', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stack-lock-'));
    const events: string[] = [];
    const hold = (name: string) =>
      withStackLock(dir, async () => {
        events.push(`${name} in`);
        await new Promise((resolve) => setTimeout(resolve, 50));
        events.push(`${name} out`);
      });

    await Promise.all([hold('a'), hold('b')]);

    expect(events).toEqual(['a in', 'a out', 'b in', 'b out']);
    expect(existsSync(join(dir, 'stack.lock'))).toBe(false);
  });

  it('takes over a lock left by a dead process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stack-lock-'));
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    writeFileSync(join(dir, 'stack.lock'), dead.stdout);

    await expect(withStackLock(dir, async () => 'got it', 2_000)).resolves.toBe('got it');
  });

  it('gives up with one line naming the holder when a live process keeps the lock', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stack-lock-'));
    writeFileSync(join(dir, 'stack.lock'), `${process.ppid}\n`);

    await expect(withStackLock(dir, async () => 'never', 300)).rejects.toThrow(
      `another stack command (pid ${process.ppid}) holds ${join(dir, 'stack.lock')}: wait for it or stop that process`,
    );
  });

  it('releases the lock when the holder fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stack-lock-'));
    await expect(withStackLock(dir, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(existsSync(join(dir, 'stack.lock'))).toBe(false);
  });
});
