// Group commit: callers hand in items one at a time; the items are committed together, one transaction per batch,
// and each caller's promise settles only once the batch holding its item has committed (or failed). A batch closes
// when it holds `maxBatch` items or its oldest item has waited `maxDelayMs`, whichever comes first; while one batch
// commits, the next one fills, so under load batches grow by themselves and the delay costs nothing.
//
//   const views = new GroupCommit<View>({ maxBatch: 200, maxDelayMs: 5, commit: (batch) => repo.record(batch) });
//   await views.add(view); // resolves after the transaction holding `view` committed
//   await views.close();   // commits what is buffered, then refuses new items

/** GroupCommitOptions configure a GroupCommit. */
export interface GroupCommitOptions<T> {
  /** maxBatch is the most items one commit takes. */
  readonly maxBatch: number;
  /** maxDelayMs is how long the oldest buffered item may wait for its batch to start committing. */
  readonly maxDelayMs: number;
  /** commit writes one batch; it must be all or nothing (one transaction). */
  readonly commit: (batch: readonly T[]) => Promise<void>;
  /** onCommitted observes each batch that committed (metrics). */
  readonly onCommitted?: (size: number, durationMs: number) => void;
}

/** GroupCommitClosedError is what add() rejects with once close() was called. */
export class GroupCommitClosedError extends Error {
  override readonly name = 'GroupCommitClosedError';
}

interface Pending<T> {
  readonly item: T;
  /** at is when the item was added (ms since the epoch). */
  readonly at: number;
  resolve(): void;
  reject(error: unknown): void;
}

/** GroupCommit batches items into commits; at most one commit runs at a time. */
export class GroupCommit<T> {
  private buffer: Pending<T>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private committing: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: GroupCommitOptions<T>) {
    if (!(options.maxBatch >= 1)) throw new RangeError('maxBatch must be at least 1');
    if (!(options.maxDelayMs >= 0)) throw new RangeError('maxDelayMs must not be negative');
  }

  /** add buffers one item; the promise settles with the commit of the batch that takes it. */
  add(item: T): Promise<void> {
    if (this.closed) return Promise.reject(new GroupCommitClosedError('group commit is closed'));
    return new Promise<void>((resolve, reject) => {
      this.buffer.push({ item, at: Date.now(), resolve, reject });
      this.schedule();
    });
  }

  /** pending is the number of buffered items not yet committing. */
  get pending(): number {
    return this.buffer.length;
  }

  /** close refuses new items and resolves once every buffered item has been committed (or failed). */
  async close(): Promise<void> {
    this.closed = true;
    this.clearTimer();
    while (this.committing || this.buffer.length > 0) {
      if (this.committing) await this.committing;
      else this.startCommit();
    }
  }

  // Decides what to do with the buffer now: nothing while a commit runs (its end calls back here), commit at once
  // when a batch is full or overdue, else wait for the oldest item's deadline.
  private schedule(): void {
    if (this.committing || this.buffer.length === 0) return;
    const waited = Date.now() - this.buffer[0].at;
    if (this.buffer.length >= this.options.maxBatch || waited >= this.options.maxDelayMs || this.closed) {
      this.startCommit();
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.schedule();
    }, this.options.maxDelayMs - waited);
  }

  private startCommit(): void {
    this.clearTimer();
    const batch = this.buffer.splice(0, this.options.maxBatch);
    const started = Date.now();
    this.committing = this.options
      .commit(batch.map((p) => p.item))
      .then(
        () => {
          for (const p of batch) p.resolve();
          try {
            this.options.onCommitted?.(batch.length, Date.now() - started);
          } catch {
            // An observer's failure must not turn a committed batch into a failed one.
          }
        },
        (error: unknown) => {
          for (const p of batch) p.reject(error);
        },
      )
      .finally(() => {
        this.committing = undefined;
        this.schedule();
      });
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
