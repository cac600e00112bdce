// Feed use cases behind the RPCs: a page of the reader's feed, and the feed followed live (StreamFeed).
import type { Queryable } from '@blog/framework';
import { decodeCursor, pageOf, type Page } from '../domain/feed-cursor';
import { feedPage, feedSince, type FeedEntry, type FeedItem } from '../repository/feed.repository';
import type { FeedTail } from '../streams/feed-tail';

/** FEED_STREAM_BATCH is how many rows a feed stream reads at a time. */
const FEED_STREAM_BATCH = 100;

/** FeedsDeps are what the feed use cases need. */
export interface FeedsDeps {
  readonly store: Queryable;
  /** tail wakes feed streams when their reader's feed grows. */
  readonly tail: FeedTail;
}

/** Feeds runs the feed use cases. */
export class Feeds {
  constructor(private readonly deps: FeedsDeps) {}

  /** page reads up to `limit` posts of the reader's feed after the cursor, newest first. */
  async page(subscriberId: string, limit: number, cursor: string): Promise<Page<FeedItem>> {
    const after = cursor ? decodeCursor(cursor) : undefined;
    const rows = await feedPage(this.deps.store, subscriberId, limit + 1, after);
    return pageOf(rows, limit, (row) => row);
  }

  /** follow is the reader's feed after `after` (an event id sent before; from now on when empty) until `signal`. */
  follow(subscriberId: string, after: string, signal: AbortSignal): AsyncGenerator<FeedEntry> {
    const { store, tail } = this.deps;
    return followFeed(store, tail, subscriberId, after || tail.position, signal);
  }
}

/**
 * followFeed yields the reader's feed rows numbered above `from`, oldest first, then every row that arrives, until
 * the stream is aborted (the caller left, or the server is draining). Rows are read from the table each time the
 * tail says the reader's feed grew, after the last number sent: nothing is buffered per stream, and a slow reader
 * only delays its own next read (backpressure), never loses a row.
 */
async function* followFeed(
  db: Queryable,
  tail: FeedTail,
  subscriberId: string,
  from: string,
  signal: AbortSignal,
): AsyncGenerator<FeedEntry> {
  let last = from;
  let grown = true;
  let wake = (): void => undefined;
  const unwatch = tail.watch(subscriberId, () => {
    grown = true;
    wake();
  });
  try {
    for (;;) {
      if (!grown) await woken(signal, (resolve) => (wake = resolve));
      grown = false;
      for (;;) {
        const rows = await feedSince(db, subscriberId, last, FEED_STREAM_BATCH);
        for (const row of rows) {
          last = row.seq;
          yield row;
        }
        if (rows.length < FEED_STREAM_BATCH) break;
      }
    }
  } finally {
    unwatch();
  }
}

/** woken resolves when the function given to `register` is called, or rejects when the signal aborts. */
function woken(signal: AbortSignal, register: (resolve: () => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    register(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}
