import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  findByCommandLine,
  isAlive,
  readPid,
  runningPid,
  startDetached,
  stopProcessGroup,
  waitForExit,
} from './processes';

const dir = mkdtempSync(join(tmpdir(), 'stack-processes-'));

/** node runs a script as a detached process group leader, with a marker argument. */
function node(name: string, script: string) {
  const pidFile = join(dir, `${name}.pid`);
  const logFile = join(dir, `${name}.log`);
  const started = startDetached({
    command: process.execPath,
    args: ['-e', script, '--', `--marker=${dir}/${name}`],
    env: process.env,
    logFile,
    pidFile,
  });
  return { ...started, pidFile, logFile };
}

/** waitForLine waits until the log has a line starting with `prefix` and returns its rest. */
async function waitForLine(logFile: string, prefix: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const line = existsSync(logFile)
      ? readFileSync(logFile, 'utf8')
          .split('\n')
          .find((l) => l.startsWith(prefix))
      : undefined;
    if (line) return line.slice(prefix.length);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no "${prefix}" line in ${logFile}`);
}

describe('detached processes', () => {
  it('records the pid and finds the process again only with its marker', async () => {
    const p = node('sleeper', 'console.log("ready"); setInterval(() => {}, 1000)');
    await waitForLine(p.logFile, 'ready');

    expect(readPid(p.pidFile)).toBe(p.pid);
    expect(findByCommandLine([`--marker=${dir}/sleeper`])).toEqual([p.pid]);
    expect(runningPid(p.pidFile, `${dir}/sleeper`)).toBe(p.pid);
    expect(runningPid(p.pidFile, '/some/other/stack')).toBeUndefined();
    // A pid file that does not match its process is stale and gets removed.
    expect(existsSync(p.pidFile)).toBe(false);

    expect(await stopProcessGroup(p.pid)).toBe('stopped');
    expect(isAlive(p.pid)).toBe(false);
  });

  it('stops gracefully on the given signal', async () => {
    const p = node(
      'graceful',
      'process.on("SIGINT", () => { console.log("bye"); process.exit(0) }); console.log("ready"); setInterval(() => {}, 1000)',
    );
    await waitForLine(p.logFile, 'ready');

    expect(await stopProcessGroup(p.pid, { signal: 'SIGINT', timeoutMs: 5_000 })).toBe('stopped');
    expect(await waitForLine(p.logFile, 'bye')).toBe('');
    expect((await p.exited).code).toBe(0);
  });

  it('escalates to SIGKILL of the whole group when SIGTERM is ignored, leaving no child behind', async () => {
    const script = `
      const { spawn } = require('node:child_process');
      process.on('SIGTERM', () => console.log('ignored'));
      const child = spawn(process.execPath, ['-e', 'process.on("SIGTERM", () => {}); setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      // Announced only once both handlers are in place, so the test never signals too early.
      child.on('spawn', () => setTimeout(() => console.log('child=' + child.pid), 200));
      setInterval(() => {}, 1000);`;
    const p = node('stubborn', script);
    const childPid = Number(await waitForLine(p.logFile, 'child='));
    expect(isAlive(childPid)).toBe(true);

    const started = Date.now();
    expect(await stopProcessGroup(p.pid, { timeoutMs: 500 })).toBe('killed');

    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(await waitForLine(p.logFile, 'ignored')).toBe('');
    expect(isAlive(p.pid)).toBe(false);
    expect(await waitForExit(childPid, 2_000)).toBe(true);
    expect((await p.exited).signal).toBe('SIGKILL');
  });

  it('kills what is left of a group whose leader already exited', async () => {
    const script = `
      const { spawn } = require('node:child_process');
      const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      console.log('child=' + child.pid);
      child.unref();
      setTimeout(() => process.exit(0), 100);`;
    const p = node('orphaner', script);
    const childPid = Number(await waitForLine(p.logFile, 'child='));
    await p.exited;
    expect(isAlive(childPid)).toBe(true);

    expect(await stopProcessGroup(p.pid)).toBe('gone');
    expect(await waitForExit(childPid, 2_000)).toBe(true);
  });

  it('reads no pid from a missing or garbled pid file', () => {
    expect(readPid(join(dir, 'absent.pid'))).toBeUndefined();
    writeFileSync(join(dir, 'garbled.pid'), 'not a pid');
    expect(readPid(join(dir, 'garbled.pid'))).toBeUndefined();
  });
});
