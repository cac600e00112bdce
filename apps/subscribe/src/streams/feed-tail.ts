// How a subscribe replica learns that a reader's feed has grown, for the feed streams it serves: it polls its own
// feed table for rows numbered above the last it saw (one indexed query per replica per interval, however many
// streams are open) and wakes the streams of the readers concerned. The rows come from whichever replica's consumer
// did the fan-out, so every replica sees every row, with nothing to route between replicas or gateways.
// Why polling and not LISTEN/NOTIFY: a notification sent while a listener reconnects is lost, so a listener needs
// this same query after each reconnect anyway; polling alone is that query, one connection from the pool, and its
// latency (FEED_TAIL_INTERVAL_MS, 500 ms) suits a feed. The wake-up is only a hint: each stream reads its rows itself
// (feedSince, after the last number it sent), so a missed or spurious wake-up costs nothing but a query.
import type { Component, Logger, Queryable } from '@blog/framework';
import { arrivalsSince, lastSeq } from '../repository/feed.repository';

/** TAIL_SCAN_LIMIT bounds the rows one poll looks at; the rest wait for the next poll. */
const TAIL_SCAN_LIMIT = 10_000;

/** FeedTail follows the feed table and wakes the streams of the readers whose feed grew. */
export class FeedTail implements Component {
  readonly name = 'feed-tail';
  private last = '0';
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private readonly watchers = new Map<string, Set<() => void>>();

  constructor(
    private readonly db: Queryable,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  /** start reads where the feed table ends now and begins polling. */
  async start(): Promise<void> {
    this.last = await lastSeq(this.db);
    this.stopped = false;
    this.schedule();
  }

  /** stop ends polling (streams are ended by the server's drain, before this). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** position is the highest row number this tail has seen: a stream that starts "from now" starts there. */
  get position(): string {
    return this.last;
  }

  /** watch calls wake whenever rows of subscriberId's feed arrive, until the returned function is called. */
  watch(subscriberId: string, wake: () => void): () => void {
    let set = this.watchers.get(subscriberId);
    if (!set) this.watchers.set(subscriberId, (set = new Set()));
    set.add(wake);
    return () => {
      set.delete(wake);
      if (set.size === 0) this.watchers.delete(subscriberId);
    };
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.poll().finally(() => this.schedule()), this.intervalMs);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    try {
      const arrivals = await arrivalsSince(this.db, this.last, TAIL_SCAN_LIMIT);
      for (const { subscriberId, seq } of arrivals) {
        if (BigInt(seq) > BigInt(this.last)) this.last = seq;
        for (const wake of this.watchers.get(subscriberId) ?? []) wake();
      }
    } catch (err) {
      // The database is away: streams keep their place and catch up once it answers again.
      this.logger.warn({ err }, 'feed tail poll failed');
    }
  }
}
