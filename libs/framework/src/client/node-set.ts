import { status } from '@grpc/grpc-js';
import { serviceError } from '../breaker/breaker';
import type { Node, Registry } from '../registry/registry';
import type { Next, Strategy } from '../selector/selector';

/**
 * NodeSet is a client's live view of one service's nodes: loaded from the registry on first use, kept current by
 * watching it, with the strategy's Next rebuilt on every change (and departed nodes reported so their channels close).
 */
export class NodeSet {
  private current: readonly Node[] = [];
  private next: Next = () => undefined;
  private loading?: Promise<void>;
  private unwatch?: () => void;

  constructor(
    private readonly service: string,
    private readonly registry: Registry,
    private readonly strategy: Strategy,
    private readonly onRemoved: (node: Node) => void,
  ) {}

  /** nodes is the last known list. */
  get nodes(): readonly Node[] {
    return this.current;
  }

  /** pick chooses the node of the next attempt; registry failures surface as UNAVAILABLE naming the cause. */
  async pick(): Promise<Node | undefined> {
    // A failed load is not cached: the next call asks the registry again.
    this.loading ??= this.load().catch((err: unknown) => {
      this.loading = undefined;
      throw serviceError(status.UNAVAILABLE, `${this.service}: ${(err as Error).message}`);
    });
    await this.loading;
    return this.next();
  }

  /** close stops watching the registry. */
  close(): void {
    this.unwatch?.();
    this.unwatch = undefined;
  }

  private async load(): Promise<void> {
    this.unwatch ??= this.registry.watch(this.service, (nodes) => this.update(nodes));
    this.update(await this.registry.nodes(this.service));
  }

  private update(nodes: readonly Node[]): void {
    const kept = new Set(nodes.map((n) => n.id));
    for (const node of this.current) if (!kept.has(node.id)) this.onRemoved(node);
    this.current = nodes;
    this.next = this.strategy(nodes);
  }
}
