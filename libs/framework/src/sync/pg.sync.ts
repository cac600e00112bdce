// Sync on PostgreSQL advisory locks: a lock or a leadership is a session-level advisory lock held by a connection of
// its own (a pooled connection would carry the lock to whoever borrows it next). PostgreSQL ends the session when the
// holder dies: a SIGKILLed process's socket is closed by its kernel and the lock is free at once; a holder that hangs
// or loses its network stops pinging, and the session's idle_session_timeout ends it on the server side. A follower
// takes over at its next campaign tick, so failover is bounded by the campaign interval (plus that timeout when the
// old leader is cut off rather than dead).
import type { Logger } from 'pino';
import { Client } from 'pg';
import { Counter, Gauge, type Registry as MetricsRegistry } from 'prom-client';
import {
  type Job,
  type Leader,
  type LeaderOptions,
  type LockOptions,
  LockTimeoutError,
  type Release,
  type Sync,
} from './sync';

/** PgSyncOptions say where the locks live. */
export interface PgSyncOptions {
  connectionString: string;
  logger: Logger;
  /** applicationName labels the lock sessions in pg_stat_activity (default "sync"). */
  applicationName?: string;
  /** metrics gets sync_leader{name} and sync_job_runs_total{job,outcome}. */
  metrics?: MetricsRegistry;
}

// Advisory lock keys are bigints; hashtextextended maps any name to one, the same on every node.
const TRY_LOCK = 'select pg_try_advisory_lock(hashtextextended($1, 0)) as locked';
const UNLOCK = 'select pg_advisory_unlock(hashtextextended($1, 0))';

/** createPgSync returns the PostgreSQL Sync; it opens connections only when locks or leaderships are taken. */
export function createPgSync(options: PgSyncOptions): Sync {
  return new PgSync(options);
}

class PgSync implements Sync {
  private readonly held = new Set<Release>();
  private readonly leaders = new Set<Leader>();
  private readonly leaderGauge?: Gauge<'name'>;
  private readonly jobRuns?: Counter<'job' | 'outcome'>;

  constructor(private readonly options: PgSyncOptions) {
    const metrics = options.metrics;
    if (metrics) {
      this.leaderGauge =
        (metrics.getSingleMetric('sync_leader') as Gauge<'name'> | undefined) ??
        new Gauge({
          name: 'sync_leader',
          help: 'Whether this process leads the named leadership (1) or follows (0)',
          labelNames: ['name'],
          registers: [metrics],
        });
      this.jobRuns =
        (metrics.getSingleMetric('sync_job_runs_total') as Counter<'job' | 'outcome'> | undefined) ??
        new Counter({
          name: 'sync_job_runs_total',
          help: 'Runs of leader-only jobs, by job and outcome (ok, error)',
          labelNames: ['job', 'outcome'],
          registers: [metrics],
        });
    }
  }

  /** session opens a connection of its own for one lock or leadership. */
  async session(idleTimeoutMs?: number): Promise<Client> {
    const client = new Client({
      connectionString: this.options.connectionString,
      application_name: this.options.applicationName ?? 'sync',
      // A check that does not come back in time means the session is as good as lost.
      query_timeout: 10_000,
      keepAlive: true,
    });
    // An error on an idle connection would otherwise crash the process; the owner notices on its next query.
    client.on('error', (error) => this.options.logger.warn({ err: error }, 'sync session failed'));
    await client.connect();
    if (idleTimeoutMs !== undefined) {
      // The server ends the session (and frees its locks) if its holder stops talking: a hung or cut-off leader.
      await client.query(`set idle_session_timeout = ${Math.max(1, Math.round(idleTimeoutMs))}`);
    }
    return client;
  }

  async tryLock(key: string): Promise<Release | undefined> {
    const client = await this.session();
    let locked = false;
    try {
      locked = (await client.query<{ locked: boolean }>(TRY_LOCK, [key])).rows[0]?.locked === true;
    } finally {
      if (!locked) await client.end().catch(() => undefined);
    }
    if (!locked) return undefined;
    let released = false;
    const release: Release = async () => {
      if (released) return;
      released = true;
      this.held.delete(release);
      try {
        await client.query(UNLOCK, [key]);
      } finally {
        // Ending the session frees the lock even if the unlock itself failed.
        await client.end().catch(() => undefined);
      }
    };
    this.held.add(release);
    return release;
  }

  async withLock<T>(key: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
    const waitMs = options.waitMs ?? 10_000;
    const started = Date.now();
    for (let delay = 25; ; delay = Math.min(delay * 2, 500)) {
      const release = await this.tryLock(key);
      if (release) {
        try {
          return await fn();
        } finally {
          await release();
        }
      }
      if (Date.now() - started + delay > waitMs) throw new LockTimeoutError(key, Date.now() - started);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  leader(name: string, options: LeaderOptions = {}): Leader {
    const leader = new PgLeader(this, name, options, this.options.logger, this.leaderGauge, this.jobRuns);
    this.leaders.add(leader);
    return leader;
  }

  async close(): Promise<void> {
    await Promise.all([...this.leaders].map((leader) => leader.stop()));
    await Promise.all([...this.held].map((release) => release()));
  }
}

interface ScheduledJob {
  readonly name: string;
  readonly intervalMs: number;
  readonly run: Job;
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
}

/** PgLeader campaigns on one connection: a follower tries the lock each tick, a leader pings to keep it. */
class PgLeader implements Leader {
  private client: Client | undefined;
  private leading = false;
  private stopped = true;
  private timer: NodeJS.Timeout | undefined;
  private tick: Promise<void> = Promise.resolve();
  private abort = new AbortController();
  private readonly jobs: ScheduledJob[] = [];
  private readonly intervalMs: number;

  constructor(
    private readonly sync: PgSync,
    readonly name: string,
    private readonly options: LeaderOptions,
    private readonly logger: Logger,
    private readonly gauge?: Gauge<'name'>,
    private readonly jobRuns?: Counter<'job' | 'outcome'>,
  ) {
    this.intervalMs = options.campaignIntervalMs ?? 1000;
  }

  isLeader(): boolean {
    return this.leading;
  }

  every(jobName: string, intervalMs: number, run: Job): void {
    const job: ScheduledJob = { name: jobName, intervalMs, run };
    this.jobs.push(job);
    if (this.leading) this.schedule(job);
  }

  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    this.gauge?.set({ name: this.name }, 0);
    this.loop();
    await this.tick;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    await this.tick;
    await this.resign('stopping');
  }

  private loop(): void {
    this.tick = this.campaign().finally(() => {
      if (!this.stopped) this.timer = setTimeout(() => this.loop(), this.intervalMs);
    });
  }

  private async campaign(): Promise<void> {
    try {
      // The server ends a session quiet for three ticks: then a leader that hangs frees the lock by itself.
      this.client ??= await this.sync.session(this.intervalMs * 3 + 1000);
      if (this.leading) {
        await this.client.query('select 1');
        return;
      }
      const locked = (await this.client.query<{ locked: boolean }>(TRY_LOCK, [this.name])).rows[0]?.locked;
      if (locked === true && !this.stopped) this.elected();
      else if (locked === true) await this.client.query(UNLOCK, [this.name]);
    } catch (error) {
      this.logger.warn({ err: error, leadership: this.name }, 'leadership session lost');
      await this.resign('session lost');
    }
  }

  private elected(): void {
    this.leading = true;
    this.abort = new AbortController();
    this.gauge?.set({ name: this.name }, 1);
    this.logger.info({ leadership: this.name }, 'elected leader');
    this.options.onChange?.(true);
    for (const job of this.jobs) this.schedule(job);
  }

  private schedule(job: ScheduledJob): void {
    const signal = this.abort.signal;
    const runOnce = () => {
      if (job.running || signal.aborted) return;
      job.running = (async () => {
        try {
          await job.run(signal);
          this.jobRuns?.inc({ job: job.name, outcome: 'ok' });
        } catch (error) {
          this.jobRuns?.inc({ job: job.name, outcome: 'error' });
          this.logger.error({ err: error, job: job.name, leadership: this.name }, 'leader job failed');
        } finally {
          job.running = undefined;
        }
      })();
    };
    runOnce();
    job.timer = setInterval(runOnce, job.intervalMs);
    job.timer.unref();
  }

  private async resign(reason: string): Promise<void> {
    const wasLeading = this.leading;
    this.leading = false;
    this.abort.abort(new Error(`leadership ${this.name} lost: ${reason}`));
    for (const job of this.jobs) clearInterval(job.timer);
    await Promise.all(this.jobs.map((job) => job.running));
    const client = this.client;
    this.client = undefined;
    // Ending the session frees the lock; a follower's next tick takes over.
    await client?.end().catch(() => undefined);
    if (wasLeading) {
      this.gauge?.set({ name: this.name }, 0);
      this.logger.info({ leadership: this.name, reason }, 'resigned leadership');
      this.options.onChange?.(false);
    }
  }
}
