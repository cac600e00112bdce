// The sync contract: cluster-wide locks and leader election, for work that must run once per cluster however many
// replicas a service has (inbox pruning, saga housekeeping). Free of pg so callers and tests depend on it alone.
//
//   const sync = createPgSync({ connectionString, logger });
//   await sync.withLock('blog.rebuild-counters', async () => rebuild());     // waits, runs, releases
//   const leader = sync.leader('blog.housekeeping');                          // campaigns in the background
//   leader.every('inbox-prune', 60 * 60_000, (signal) => inbox.prune(...));  // runs on the leader only

/** Release gives a lock back; calling it twice is harmless. */
export type Release = () => Promise<void>;

/** LockOptions tune withLock. */
export interface LockOptions {
  /** waitMs is how long to wait for a lock another holder has (default 10000); 0: try once. */
  waitMs?: number;
}

/** LockTimeoutError is thrown by withLock when the lock stayed taken for the whole wait. */
export class LockTimeoutError extends Error {
  override readonly name = 'LockTimeoutError';
  constructor(
    readonly key: string,
    readonly waitedMs: number,
  ) {
    super(`lock ${key} is held elsewhere: gave up after ${waitedMs} ms`);
  }
}

/** Job is work a leader runs; `signal` aborts when leadership is lost or the service stops. */
export type Job = (signal: AbortSignal) => Promise<unknown> | unknown;

/** Leader is one process's candidacy for a named leadership: at most one candidate in the cluster leads at a time. */
export interface Leader {
  /** name is the leadership's name, shared by every candidate. */
  readonly name: string;
  /** isLeader tells whether this process leads right now. */
  isLeader(): boolean;
  /** every runs `job` each `intervalMs` while this process leads (first run at election), never two runs at once. */
  every(jobName: string, intervalMs: number, job: Job): void;
  /** start begins campaigning; stop resigns (releases leadership at once) and waits for running jobs to end. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Sync makes locks and leaders. */
export interface Sync {
  /** tryLock takes `key` if nobody holds it; undefined when it is held elsewhere. */
  tryLock(key: string): Promise<Release | undefined>;
  /** withLock runs `fn` holding `key`, waiting for it up to `waitMs`; the lock is released whatever fn does. */
  withLock<T>(key: string, fn: () => Promise<T>, options?: LockOptions): Promise<T>;
  /** leader returns this process's candidate for a leadership (campaigning starts with start()). */
  leader(name: string, options?: LeaderOptions): Leader;
  /** close releases every lock and leadership this process holds. */
  close(): Promise<void>;
}

/** LeaderOptions tune a candidacy. */
export interface LeaderOptions {
  /** campaignIntervalMs is how often a follower tries to lead and a leader checks it still does (default 1000). */
  campaignIntervalMs?: number;
  /** onChange is told each time this process gains or loses the leadership. */
  onChange?: (leading: boolean) => void;
}
