// RecordView's write path: views are group-committed (see ../batch/group-commit.ts), so a burst of N calls costs a
// handful of transactions, and each call answers only once the transaction holding its view committed: an OK
// means the view is counted. Batches are counted (visitor_view_batches_total = transactions) for /metrics.
import type { Component, Logger, TransactionRunner } from '@blog/framework';
import { Counter, Histogram, type Registry } from 'prom-client';
import { GroupCommit } from '../batch/group-commit';
import type { View } from '../domain/views';
import { recordViews } from '../repository/views.repository';

/** ViewRecorderOptions configure the batching of views. */
export interface ViewRecorderOptions {
  readonly store: TransactionRunner;
  readonly logger: Logger;
  /** maxBatch is the most views one transaction records. */
  readonly maxBatch: number;
  /** maxDelayMs is the longest a view waits for its batch to start committing. */
  readonly maxDelayMs: number;
  readonly metrics?: Registry;
}

/** ViewRecorder records views in batches; it is a service component so that stopping flushes what is buffered. */
export class ViewRecorder implements Component {
  readonly name = 'view-recorder';
  private readonly group: GroupCommit<View>;
  private batches = 0;
  private views = 0;

  constructor(options: ViewRecorderOptions) {
    const registers = options.metrics ? [options.metrics] : [];
    const batchCounter = new Counter({
      name: 'visitor_view_batches_total',
      help: 'Transactions that recorded a batch of views.',
      registers,
    });
    const viewCounter = new Counter({
      name: 'visitor_view_calls_batched_total',
      help: 'RecordView calls committed in a batch (repeats and views of deleted blogs included).',
      registers,
    });
    const batchSize = new Histogram({
      name: 'visitor_view_batch_size',
      help: 'RecordView calls per batch.',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
      registers,
    });
    const log = options.logger.child({ component: 'view-recorder' });
    this.group = new GroupCommit<View>({
      maxBatch: options.maxBatch,
      maxDelayMs: options.maxDelayMs,
      commit: async (batch) => {
        const outcome = await options.store.withTransaction((tx) => recordViews(tx, batch));
        log.debug({ size: batch.length, ...outcome }, 'view batch committed');
      },
      onCommitted: (size) => {
        this.batches++;
        this.views += size;
        batchCounter.inc();
        viewCounter.inc(size);
        batchSize.observe(size);
      },
    });
  }

  /** record resolves once the view's batch committed; a view id seen before is accepted and not counted again. */
  record(view: View): Promise<void> {
    return this.group.add(view);
  }

  /** committed reports the transactions and calls committed so far (what the README's figures are measured with). */
  get committed(): { batches: number; views: number } {
    return { batches: this.batches, views: this.views };
  }

  /** stop commits the buffered views; it runs after the gRPC server drained, so nothing new arrives. */
  async stop(): Promise<void> {
    await this.group.close();
  }
}
