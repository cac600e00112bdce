// The benchmarks' server processes: each runs in its own process (a server sharing the load generator's event loop
// would measure both), started from source with tsx, and announces what it listens on over the IPC channel. Its
// stdout goes to /dev/null: a pipe to the busy load generator would fill and stall the server's synchronous log
// writes, measuring the parent instead. The parent samples the child's resident memory from /proc.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** announce tells the parent that this server is ready, with what it needs to reach it. */
export function announce(details: Record<string, unknown>): void {
  // Exit normally on the parent's SIGINT, so that a --cpu-prof child writes its profile.
  process.once('SIGINT', () => process.exit(0));
  process.send?.({ ready: details });
}

/** Child is one running server process and what it announced. */
export interface Child<T> {
  readonly name: string;
  readonly process: ChildProcess;
  readonly details: T;
  /** rssMb is the process's resident size now, in MiB (0 when /proc cannot tell). */
  rssMb(): number;
  stop(): Promise<void>;
}

/** ChildOptions add node flags (e.g. --cpu-prof) and environment to a server process. */
export interface ChildOptions {
  readonly nodeArgs?: readonly string[];
  readonly env?: Record<string, string>;
  readonly args?: readonly string[];
  /** stdout: where the server's logs go, 'ignore' (/dev/null) unless a benchmark wants them. */
  readonly stdout?: 'ignore' | 'inherit';
}

/** startChild runs benchmarks/servers/<file> and waits for its announcement (60 s at most). */
export async function startChild<T>(name: string, file: string, options: ChildOptions = {}): Promise<Child<T>> {
  const script = join(__dirname, '..', 'servers', file);
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', script, ...(options.args ?? [])], {
    env: { ...process.env, TSX_TSCONFIG_PATH: join(__dirname, '..', 'tsconfig.json'), ...options.env },
    // Logs (stdout) are written and dropped; stderr shows problems; the announcement comes over IPC.
    stdio: ['ignore', options.stdout ?? 'ignore', 'inherit', 'ipc'],
  });
  const details = await new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: not ready after 60 s`)), 60_000);
    child.once('exit', (code) => reject(new Error(`${name}: exited with ${code} before it was ready`)));
    child.on('message', (message: { ready?: T }) => {
      if (!message.ready) return;
      clearTimeout(timer);
      resolve(message.ready);
    });
  });
  child.removeAllListeners('exit');
  return {
    name,
    process: child,
    details,
    rssMb: () => rssMbOf(child.pid),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        // SIGINT lets a --cpu-prof child write its profile on the way out.
        child.kill('SIGINT');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

/** rssMbOf reads a process's resident set size (VmRSS) from /proc, in MiB; 0 when unknown. */
export function rssMbOf(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}
