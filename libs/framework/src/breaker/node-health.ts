import type { Logger } from 'pino';
import type { Node } from '../registry/registry';

/** NodeHealthOptions tune how long a failing node is passed over. */
export interface NodeHealthOptions {
  /** cooldownMs a node that answered UNAVAILABLE is skipped before it gets another chance (default 5000). */
  cooldownMs?: number;
  /** logger receives a line when a node starts or stops failing. */
  logger?: Logger;
}

/**
 * NodeHealth is the per-node counterpart of the endpoint breakers: it remembers which nodes are failing (an
 * UNAVAILABLE from that node, or a grpc.health.v1 check that is not SERVING) so the selector can skip them while
 * another node exists. A call failure marks a node for a cooldown, after which the next call probes it again
 * (a half-open state, in breaker terms); a failed health check marks it until a check or a call succeeds.
 */
export class NodeHealth {
  private readonly failingUntil = new Map<string, number>();
  private readonly cooldownMs: number;

  constructor(private readonly options: NodeHealthOptions = {}) {
    this.cooldownMs = options.cooldownMs ?? 5000;
  }

  /** isAvailable is false while a node is marked failing. */
  isAvailable(node: Node): boolean {
    const until = this.failingUntil.get(node.id);
    return until === undefined || until <= Date.now();
  }

  /** callFailed marks a node failing for the cooldown after it answered UNAVAILABLE. */
  callFailed(node: Node, reason: string): void {
    this.mark(node, Date.now() + this.cooldownMs, reason);
  }

  /** checkFailed marks a node failing until it proves healthy again. */
  checkFailed(node: Node, reason: string): void {
    this.mark(node, Number.POSITIVE_INFINITY, reason);
  }

  /** succeeded clears the failing mark (a call or a health check went through). */
  succeeded(node: Node): void {
    if (this.failingUntil.delete(node.id))
      this.options.logger?.info({ node: node.address }, 'node healthy again');
  }

  /** forget drops the state of a node that left the registry. */
  forget(node: Node): void {
    this.failingUntil.delete(node.id);
  }

  private mark(node: Node, until: number, reason: string): void {
    if (this.isAvailable(node))
      this.options.logger?.warn({ node: node.address, reason }, 'node failing: skipping it');
    this.failingUntil.set(node.id, until);
  }
}
