// Detached child processes with pid files: started in their own process group (so a stop reaches every process
// they fork), found again by a later command through the pid file, and stopped with escalation.
import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';

/** DetachedOptions describe a process to start in the background. */
export interface DetachedOptions {
  command: string;
  args: string[];
  /** env is the complete environment (callers pass process.env through plus their own variables). */
  env: NodeJS.ProcessEnv;
  /** logFile receives stdout and stderr (appended). */
  logFile: string;
  /** pidFile records the pid for later commands. */
  pidFile: string;
  cwd?: string;
  /** uid/gid run the process as another user (PostgreSQL refuses to run as root). */
  uid?: number;
  gid?: number;
}

/** Detached is a started background process; `exited` settles if it dies while this process still watches. */
export interface Detached {
  pid: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** startDetached starts a process group leader in the background and writes its pid file. */
export function startDetached(options: DetachedOptions): Detached {
  mkdirSync(dirname(options.logFile), { recursive: true });
  mkdirSync(dirname(options.pidFile), { recursive: true });
  const out = openSync(options.logFile, 'a');
  try {
    const child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', out, out],
      uid: options.uid,
      gid: options.gid,
    });
    if (child.pid === undefined) throw new Error(`could not start ${options.command}`);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.once('error', () => resolve({ code: null, signal: null }));
    });
    child.unref();
    writeFileSync(options.pidFile, `${child.pid}\n`);
    return { pid: child.pid, exited };
  } finally {
    closeSync(out);
  }
}

/** readPid returns the pid recorded in a pid file, if any. */
export function readPid(pidFile: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** isAlive tells whether a process exists and is not a zombie waiting to be reaped. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // /proc/<pid>/stat: "pid (comm) S ..." — the state letter follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true; // no /proc (macOS): kill(0) is the best we have
  }
}

/** commandLine returns a process's arguments (to recognise our own process behind a reused pid). */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/**
 * findByCommandLine lists the pids whose command line contains one of the fragments (Linux /proc only): the
 * safety net that finds our processes when their pid files are gone.
 */
export function findByCommandLine(fragments: string[]): number[] {
  if (!existsSync('/proc')) return [];
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter(
      (pid) => pid !== process.pid && fragments.some((fragment) => commandLine(pid).includes(fragment)),
    );
}

/**
 * runningPid returns the recorded pid when that process is alive and its command line contains `marker`
 * (a path under .stack/ that only our process has); a stale pid file is removed.
 */
export function runningPid(pidFile: string, marker: string): number | undefined {
  const pid = readPid(pidFile);
  if (pid === undefined) return undefined;
  // Without /proc (macOS) the pid alone has to do; with it, a reused pid of a stranger is told apart.
  const ours = existsSync('/proc') ? commandLine(pid).includes(marker) : true;
  if (ours && isAlive(pid)) return pid;
  rmSync(pidFile, { force: true });
  return undefined;
}

/** StopOptions tune stopProcessGroup. */
export interface StopOptions {
  /** signal asks for a graceful stop (SIGTERM; PostgreSQL's fast shutdown is SIGINT). */
  signal?: NodeJS.Signals;
  /** timeoutMs is how long the graceful stop may take before SIGKILL. */
  timeoutMs?: number;
}

/**
 * stopProcessGroup asks the group leader to stop, waits for it to exit, escalates to SIGKILL of the whole group
 * after the timeout, and finally kills whatever is left in the group, so nothing of it survives.
 * Returns how it ended: 'stopped' (gracefully), 'killed', or 'gone' (was not running).
 */
export async function stopProcessGroup(
  pid: number,
  options: StopOptions = {},
): Promise<'stopped' | 'killed' | 'gone'> {
  const { signal = 'SIGTERM', timeoutMs = 30_000 } = options;
  if (!isAlive(pid)) {
    signalGroup(pid, 'SIGKILL');
    return 'gone';
  }
  // Only the leader gets the graceful signal: it shuts its own children down in order (PostgreSQL backends).
  if (signal === 'SIGKILL') signalGroup(pid, signal);
  else signalProcess(pid, signal);
  let outcome: 'stopped' | 'killed' = 'stopped';
  if (!(await waitForExit(pid, timeoutMs))) {
    outcome = 'killed';
    signalGroup(pid, 'SIGKILL');
    await waitForExit(pid, 5_000);
  }
  signalGroup(pid, 'SIGKILL');
  return outcome;
}

/** waitForExit polls until the process is gone; false on timeout. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/** signalGroup signals every process of the group led by pid (a detached child leads its own group). */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // no such group: nothing left
  }
}
