// Test support: a downstream handler that never answers on its own. Whatever ends such a call (a deadline, a
// cancellation) is then provably not the callee, so a test can assert what bounded a request instead of timing it.
import type { RequestContext } from '@blog/framework/core';
import { status } from '@grpc/grpc-js';
import { eventually } from './http';

/** HangingCall is one hanging handler and what it saw; pass `handler` to FakeBackend.override. */
export class HangingCall {
  /** entered counts the calls that reached the handler. */
  entered = 0;
  /** reasons are the abort reasons of the calls that ended (the framework's DeadlineExceededError, CancelledError). */
  readonly reasons: unknown[] = [];

  /** handler waits until its call is cancelled or expires, then rejects with the signal's reason. */
  readonly handler = (_request: unknown, ctx: RequestContext): Promise<never> => {
    this.entered++;
    return new Promise((_resolve, reject) => {
      const end = () => {
        this.reasons.push(ctx.signal.reason);
        reject(ctx.signal.reason);
      };
      if (ctx.signal.aborted) end();
      else ctx.signal.addEventListener('abort', end, { once: true });
    });
  };

  /** ended waits until `count` calls have ended and returns the gRPC codes they ended with. */
  async ended(count = 1): Promise<status[]> {
    return eventually(() => {
      if (this.reasons.length < count)
        throw new Error(`${this.reasons.length} of ${count} hanging calls ended`);
      return this.reasons.map((reason) => (reason as { code?: status }).code ?? status.UNKNOWN);
    }, 10_000);
  }
}

/** ENDED_BY_DEADLINE: how a server sees a call that its caller's deadline ended (its expiry, or the caller's cancel). */
export const ENDED_BY_DEADLINE = [status.DEADLINE_EXCEEDED, status.CANCELLED];
