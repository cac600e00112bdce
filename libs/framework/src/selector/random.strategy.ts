import type { Strategy } from './selector';

/** random picks a node uniformly at random for every call. */
export const random: Strategy = (nodes) => () =>
  nodes.length === 0 ? undefined : nodes[Math.floor(Math.random() * nodes.length)];
