// The benchmarks' server processes: each runs in its own process (a server sharing the load generator's event loop
// would measure both), started from source with tsx, and announces what it listens on over the IPC channel. Its
// stdout goes to /dev/null: a pipe to the busy load generator would fill and stall the server's synchronous log
// writes, measuring the parent instead. The parent samples the child's resident memory from /proc.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { dirname, join } from 'node:path';

/** announce tells the parent that this server is ready, with what it needs to reach it. */
export function announce(details: Record<string, unknown>): void {
  // Exit normally on the parent's SIGINT, so that a --cpu-prof child writes its profile.
  process.once('SIGINT', () => process.exit(0));
  process.send?.({ ready: details });
  process.on('message', (message: { profile?: 'start' | 'stop'; file?: string }) => {
    if (message.profile === 'start') void profiler.start();
    if (message.profile === 'stop' && message.file)
      void profiler.stop(message.file).then(() => process.send?.({ profiled: message.file }));
  });
}

// The CPU profile of the measured window only (node --cpu-prof would be mostly module loading and start-up).
const profiler = {
  session: undefined as Session | undefined,
  async start(): Promise<void> {
    this.session = new Session();
    this.session.connect();
    await this.session.post('Profiler.enable');
    await this.session.post('Profiler.setSamplingInterval', { interval: 200 });
    await this.session.post('Profiler.start');
  },
  async stop(file: string): Promise<void> {
    if (!this.session) return;
    const { profile } = await this.session.post('Profiler.stop');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(profile));
    this.session.disconnect();
    this.session = undefined;
  },
};

/** Child is one running server process and what it announced. */
export interface Child<T> {
  readonly name: string;
  readonly process: ChildProcess;
  readonly details: T;
  /** rssMb is the process's resident size now, in MiB (0 when /proc cannot tell). */
  rssMb(): number;
  /** cpuMs is the CPU time (user + system) the process has used so far, in milliseconds (10 ms resolution). */
  cpuMs(): number;
  /** profile starts a CPU profile of the server (the inspector's sampling profiler, as --cpu-prof uses). */
  startProfile(): void;
  /** stopProfile ends it and waits until the server wrote `file` (a .cpuprofile for Chrome DevTools, speedscope). */
  stopProfile(file: string): Promise<void>;
  stop(): Promise<void>;
}

/** ChildOptions add node flags (e.g. --cpu-prof) and environment to a server process. */
export interface ChildOptions {
  readonly nodeArgs?: readonly string[];
  readonly env?: Record<string, string>;
  readonly args?: readonly string[];
  /** stdout: where the server's logs go, 'ignore' (/dev/null) unless a benchmark wants them. */
  readonly stdout?: 'ignore' | 'inherit';
  /** cpus pins the process (and every thread it starts) to these CPUs, as taskset's list: '1', '0-1'. */
  readonly cpus?: string;
}

/** startChild runs benchmarks/servers/<file> and waits for its announcement (60 s at most). */
export async function startChild<T>(
  name: string,
  file: string,
  options: ChildOptions = {},
): Promise<Child<T>> {
  const script = join(__dirname, '..', 'servers', file);
  const node = [
    process.execPath,
    ...(options.nodeArgs ?? []),
    '--import',
    'tsx',
    script,
    ...(options.args ?? []),
  ];
  // taskset execs node in place (same pid), so /proc and signals reach the server itself.
  const [command, ...args] = options.cpus ? ['taskset', '-c', options.cpus, ...node] : node;
  const child = spawn(command!, args, {
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
    cpuMs: () => cpuMsOf(child.pid),
    startProfile: () => child.send({ profile: 'start' }),
    stopProfile: (file) =>
      new Promise<void>((resolve) => {
        const done = (message: { profiled?: string }) => {
          if (message.profiled !== file) return;
          child.off('message', done);
          resolve();
        };
        child.on('message', done);
        child.send({ profile: 'stop', file });
      }),
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

/**
 * pinSelf pins this process (the load generator) and its threads to `cpus`; threads started later inherit it. False
 * where taskset is missing or refused.
 */
export function pinSelf(cpus: string): boolean {
  return (
    spawnSync('taskset', ['-a', '-p', '-c', cpus, String(process.pid)], { stdio: 'ignore' }).status === 0
  );
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

/** cpuMsOf reads a process's user + system CPU time from /proc/<pid>/stat, in milliseconds; 0 when unknown. */
export function cpuMsOf(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    // The fields after the command name (which may hold spaces, hence from the last ')'): utime is the 12th, stime
    // the 13th, in clock ticks of 10 ms (USER_HZ is 100 on Linux).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}
