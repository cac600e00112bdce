// The selector contract: a Strategy turns a node list into a Next that picks the node for one call.
import type { Node } from '../registry/registry';

/** Next picks the node for the next call, or undefined when there is none. */
export type Next = () => Node | undefined;

/** Strategy builds a Next over a node list; it is rebuilt whenever the registry reports a new list. */
export type Strategy = (nodes: readonly Node[]) => Next;
