import type { Node } from '../registry/registry';
import type { Strategy } from './selector';

/**
 * skipUnavailable wraps a strategy so that nodes for which `isAvailable` is false (failing health, open per-node
 * breaker) are passed over while an available node exists. When every node is unavailable it still returns one (in
 * rotation): one real attempt may succeed (or at least yields a real error) where failing without a call cannot.
 */
export function skipUnavailable(strategy: Strategy, isAvailable: (node: Node) => boolean): Strategy {
  return (nodes) => {
    const next = strategy(nodes);
    let lastResort = 0;
    return () => {
      const first = next();
      if (first === undefined || isAvailable(first)) return first;
      // Asking the strategy again keeps its own order (round-robin moves on to the following node).
      for (let i = 1; i < nodes.length; i++) {
        const node = next();
        if (node && isAvailable(node)) return node;
      }
      // A random strategy may miss the good node by chance; scan so one is never skipped while it exists.
      // With none available, rotate: the strategy itself has just gone round in full and would repeat its start.
      return nodes.find(isAvailable) ?? nodes[lastResort++ % nodes.length];
    };
  };
}
