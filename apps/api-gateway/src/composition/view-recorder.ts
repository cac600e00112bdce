// View recording for GET /v1/posts/{postId}: fire-and-forget visitor.RecordView on its own client (own breaker,
// short deadline, no retry). The read never waits for it and never fails because of it; a view id chosen here makes
// the call idempotent at the visitor service, and anonymous readers are counted by a salted hash of their address.
import { createHash, randomUUID } from 'node:crypto';
import type { Logger } from '@blog/framework/core';
import type { visitor } from '@blog/proto';
import { Counter, type Registry } from 'prom-client';
import type { WarnLogger } from './post-composer';

/** ViewSink is the one RPC the recorder calls. */
export interface ViewSink {
  recordView(request: visitor.RecordViewRequest): Promise<visitor.RecordViewResponse>;
}

/** Viewer is who read the post: a user, or an address. */
export interface Viewer {
  readonly userId?: string;
  readonly address: string;
}

/** ViewRecorder records views without ever delaying or failing the read. */
export class ViewRecorder {
  private readonly outcomes?: Counter<'outcome'>;

  constructor(
    private readonly sink: ViewSink,
    private readonly salt: string,
    private readonly logger: Logger,
    metrics?: Registry,
  ) {
    if (metrics) {
      this.outcomes = new Counter({
        name: 'gateway_view_records_total',
        help: 'RecordView calls made for post reads, by outcome',
        labelNames: ['outcome'],
        registers: [metrics],
      });
    }
  }

  /** record starts one RecordView and returns at once; failures are logged on `logger` (the request's, by default the recorder's). */
  record(post: { postId: string; blogId: string }, viewer: Viewer, logger: WarnLogger = this.logger): void {
    try {
      const request = {
        viewId: randomUUID(),
        postId: post.postId,
        blogId: post.blogId,
        viewerId: viewer.userId ?? this.anonymousId(viewer.address),
      };
      this.sink.recordView(request).then(
        () => this.outcomes?.inc({ outcome: 'recorded' }),
        (error: unknown) => {
          this.outcomes?.inc({ outcome: 'failed' });
          logger.warn({ err: error, postId: post.postId }, 'view not recorded');
        },
      );
    } catch (error) {
      this.outcomes?.inc({ outcome: 'failed' });
      logger.warn({ err: error, postId: post.postId }, 'view not recorded');
    }
  }

  /** anonymousId is a stable pseudonym of an address: the same reader counts once, the address is not stored. */
  anonymousId(address: string): string {
    return `anon-${createHash('sha256').update(`${this.salt}\n${address}`).digest('hex').slice(0, 32)}`;
  }
}
