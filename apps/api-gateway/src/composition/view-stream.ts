// The gateway's views travel on one RecordViews stream per gateway instead of one RecordView call per read.
// Each view waits in `pending` until the visitor service acknowledges it (stored, or refused as malformed). When the
// stream breaks (a visitor replica stops, the network drops), a new one is opened, on any replica, and every pending
// view is sent again: views carry their id, so one stored before the break and resent counts once.
// What can be lost, and how it shows: a view arriving while `maxPending` views already wait (the visitor service is
// away for long) is refused at once, and views still pending when the gateway stops after `close`'s grace are given
// up; both are counted (gateway_view_records_total{outcome="failed"}) and logged by the ViewRecorder. A read never
// waits for any of this.
import { setTimeout as sleep } from 'node:timers/promises';
import { PassThrough } from 'node:stream';
import { type Logger, type ResponseStream, type StreamCallOptions } from '@blog/framework/core';
import type { visitor } from '@blog/proto';
import { ROOT_CONTEXT, context } from '@opentelemetry/api';
import type { ViewSink } from './view-recorder';

/** ViewStreamClient is the one method the stream needs (the visitor client's RecordViews). */
export interface ViewStreamClient {
  recordViews(
    requests: AsyncIterable<visitor.RecordViewsRequest>,
    options?: StreamCallOptions,
  ): Promise<ResponseStream<visitor.RecordViewsResponse>>;
}

/** ViewStreamOptions bound the buffer and the reconnection. */
export interface ViewStreamOptions {
  /** maxPending views wait for an acknowledgement at most; more are refused (default 10,000). */
  readonly maxPending?: number;
  /** reconnectDelayMs is the first wait before reopening a broken stream, doubled up to 5 s (default 100). */
  readonly reconnectDelayMs?: number;
}

interface Pending {
  readonly request: visitor.RecordViewRequest;
  resolve(): void;
  reject(error: Error): void;
}

/** ViewStream is a ViewSink that sends every view on one long-lived RecordViews stream. */
export class ViewStream implements ViewSink {
  private readonly pending = new Map<string, Pending>();
  private outgoing?: PassThrough;
  private opening?: Promise<void>;
  private closed = false;
  private readonly maxPending: number;
  private readonly reconnectDelayMs: number;

  constructor(
    private readonly client: ViewStreamClient,
    private readonly logger: Logger,
    options: ViewStreamOptions = {},
  ) {
    this.maxPending = options.maxPending ?? 10_000;
    this.reconnectDelayMs = options.reconnectDelayMs ?? 100;
  }

  /** pendingCount is the number of views sent or queued and not acknowledged yet. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** recordView queues a view; it resolves once the visitor service stored it. */
  recordView(request: visitor.RecordViewRequest): Promise<visitor.RecordViewResponse> {
    if (this.closed) return Promise.reject(new Error('the gateway is stopping: view not sent'));
    if (this.pending.size >= this.maxPending) {
      return Promise.reject(new Error(`${this.maxPending} views await the visitor service: view dropped`));
    }
    return new Promise((resolve, reject) => {
      this.pending.set(request.viewId, { request, resolve: () => resolve({}), reject });
      if (this.outgoing) this.outgoing.write({ view: request });
      else this.open();
    });
  }

  /** close stops taking views, waits up to graceMs for those pending, then gives the rest up (rejecting them). */
  async close(graceMs = 2_000): Promise<void> {
    this.closed = true;
    const deadline = Date.now() + graceMs;
    while (this.pending.size > 0 && Date.now() < deadline) await sleep(20);
    const lost = [...this.pending.values()];
    this.pending.clear();
    for (const view of lost) view.reject(new Error('the gateway stopped before the view was acknowledged'));
    this.outgoing?.end();
    this.outgoing = undefined;
  }

  private open(): void {
    this.opening ??= this.connect().finally(() => (this.opening = undefined));
  }

  // Opens a stream (retrying with backoff while views wait), then resends every pending view on it.
  private async connect(): Promise<void> {
    for (
      let delay = this.reconnectDelayMs;
      !this.closed && this.pending.size > 0;
      delay = Math.min(delay * 2, 5_000)
    ) {
      const outgoing = new PassThrough({ objectMode: true, highWaterMark: 1024 });
      try {
        // Not inside the HTTP request that queued the first view: the stream outlives it (its deadline, its id).
        const acks = await context.with(ROOT_CONTEXT, () => this.client.recordViews(outgoing));
        this.outgoing = outgoing;
        for (const { request } of this.pending.values()) outgoing.write({ view: request });
        void this.readAcks(acks, outgoing);
        return;
      } catch (error) {
        outgoing.destroy();
        this.logger.warn({ err: error, pending: this.pending.size }, 'view stream not opened; retrying');
        await sleep(delay);
      }
    }
  }

  private async readAcks(
    acks: ResponseStream<visitor.RecordViewsResponse>,
    outgoing: PassThrough,
  ): Promise<void> {
    try {
      for await (const { viewId, refused } of acks) {
        const view = this.pending.get(viewId);
        if (!view) continue;
        this.pending.delete(viewId);
        if (refused) view.reject(new Error('the visitor service refused the view as malformed'));
        else view.resolve();
      }
    } catch (error) {
      if (!this.closed)
        this.logger.warn({ err: error, pending: this.pending.size }, 'view stream broke; reopening');
    } finally {
      if (this.outgoing === outgoing) this.outgoing = undefined;
      outgoing.end();
      if (!this.closed && this.pending.size > 0) this.open();
    }
  }
}
